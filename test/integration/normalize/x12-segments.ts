// Reads an X12 file into segments just far enough to feed the normalizer: separators from the
// fixed-width ISA, segments split and trimmed. Envelope validation is the EDI library's concern.
import { readFileSync } from 'node:fs';

export interface X12Segment {
  id: string;
  /** Data elements, 1-based as in X12: elements[0] is element 01. */
  elements: string[];
  /** 1-based position of the segment in the file. */
  position: number;
}

export function readX12Segments(path: string): X12Segment[] {
  const text = readFileSync(path, 'latin1').replace(/^\uFEFF|^ï»¿/, '');
  const isa = text.indexOf('ISA');
  if (isa < 0) throw new Error(`${path}: no ISA segment`);
  const elementSeparator = text[isa + 3];
  const segmentTerminator = text[isa + 105];
  return text
    .slice(isa)
    .split(segmentTerminator)
    .map((raw) => raw.trim())
    .filter((raw) => raw !== '')
    .map((raw, index) => {
      const [id, ...elements] = raw.split(elementSeparator);
      return { id, elements, position: index + 1 };
    });
}

import type { InterchangeHeader } from '../envelope/envelope.types';
import { InterchangeReader } from '../envelope/interchange-reader';
import { X12Scanner } from '../scanner/x12-scanner';

/** Reads the first ISA of a file prefix (to find the partner before the body is processed). */
export function peekInterchangeHeader(prefix: Buffer): InterchangeHeader | null {
  let found: InterchangeHeader | null = null;
  const reader = new InterchangeReader();
  const scanner = new X12Scanner({
    segment(view) {
      if (!found && view.buffer[view.start] === 0x49 && view.buffer[view.start + 1] === 0x53 && view.buffer[view.start + 2] === 0x41) {
        reader.segment(view);
        found = reader.openInterchangeHeader();
      }
    },
    issue() {},
  });
  scanner.push(prefix);
  scanner.end();
  return found;
}

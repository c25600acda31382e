/** Delimiters of one interchange, as bytes, taken from its ISA segment. */
export interface Delimiters {
  element: number;
  component: number;
  /** Present for ISA12 >= 00402 when ISA11 holds a separator rather than the `U` standards id. */
  repetition?: number;
  /** One byte, or a short UTF-8 sequence for the rare multi-byte terminator. */
  segment: Buffer;
}

export const DEFAULT_DELIMITERS: Delimiters = {
  element: 0x2a,
  component: 0x3e,
  repetition: 0x5e,
  segment: Buffer.from('~'),
};

export function isAlphanumericByte(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

export function isLayoutByte(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a;
}

export function describeDelimiters(d: Delimiters): string {
  const show = (b: number | undefined): string => (b === undefined ? '-' : JSON.stringify(String.fromCharCode(b)));
  return `element ${show(d.element)}, component ${show(d.component)}, repetition ${show(d.repetition)}, segment ${JSON.stringify(d.segment.toString('utf8'))}`;
}

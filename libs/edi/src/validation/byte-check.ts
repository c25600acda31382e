/** The parts of a guide's element rule the fast path reads (`ElementRule` in guides/guide.ts). */
interface ElementRule {
  req: string;
  type: string;
  min: number;
  max: number;
  codes?: ReadonlySet<string>;
  components?: readonly ElementRule[];
}

/** A syntax note (`SyntaxRule` in guides/guide.ts). */
interface SyntaxRule {
  kind: 'P' | 'R' | 'C' | 'L' | 'E';
  positions: readonly number[];
  text: string;
}

/**
 * The validator's fast path: a segment rule compiled once into a form that checks a segment where
 * it lies in the scanned bytes, without decoding it into strings. It answers only "certainly valid";
 * anything it cannot vouch for (an error, a non-ASCII byte, a repeated element) makes it answer
 * false, and the validator then runs the exact string checks that word the errors. So the fast path
 * never changes a verdict or a message: it only skips the work for segments that are clean.
 */

const enum Kind {
  AN,
  ID,
  DT,
  TM,
  R,
  N,
  B,
  Composite,
}

interface ByteElement {
  kind: Kind;
  min: number;
  max: number;
  mandatory: boolean;
  /** Codes of up to 6 characters packed into numbers (see `packed`), for a lookup without a string. */
  codeKeys: ReadonlySet<number> | null;
  codes: ReadonlySet<string> | null;
  components: ByteElement[] | null;
}

/** A syntax note over element positions 1…30, as bit masks of those positions. */
interface MaskNote {
  kind: SyntaxRule['kind'];
  all: number;
  first: number;
  rest: number;
}

export interface ByteSegmentCheck {
  elements: ByteElement[];
  /** Mandatory element positions 1…30 as a bit mask; `mandatoryHigh` lists any above. */
  mandatoryMask: number;
  mandatoryHigh: number[];
  masks: MaskNote[];
  /** Notes naming a position above 30, checked through the presence marks. */
  syntaxHigh: SyntaxRule[];
}

/** Element positions above this are left to the string path (no guide defines that many). */
export const MAX_FAST_ELEMENTS = 127;

const MAX_PACKED = 6;
/** Element positions tracked in a 32-bit mask (bit n for element n). */
const MASK_POSITIONS = 30;

/** Base-128 digits of a printable ASCII code: distinct codes give distinct numbers. */
function packString(value: string): number {
  let key = 0;
  for (let i = 0; i < value.length; i++) key = key * 128 + value.charCodeAt(i);
  return key;
}

function compileElement(rule: ElementRule): ByteElement {
  const kind =
    rule.components !== undefined
      ? Kind.Composite
      : rule.type === 'AN'
        ? Kind.AN
        : rule.type === 'ID'
          ? Kind.ID
          : rule.type === 'DT'
            ? Kind.DT
            : rule.type === 'TM'
              ? Kind.TM
              : rule.type === 'R'
                ? Kind.R
                : rule.type === 'B'
                  ? Kind.B
                  : Kind.N;
  let codeKeys: Set<number> | null = null;
  if (rule.codes) {
    codeKeys = new Set();
    for (const code of rule.codes) {
      if (code.length <= MAX_PACKED && /^[\x20-\x7e]+$/.test(code)) codeKeys.add(packString(code));
    }
  }
  return {
    kind,
    min: rule.min,
    max: rule.max,
    mandatory: rule.req === 'M',
    codeKeys,
    codes: rule.codes ?? null,
    components: rule.components ? rule.components.map(compileElement) : null,
  };
}

export function compileByteCheck(rule: {
  elements: readonly ElementRule[];
  syntax: readonly SyntaxRule[];
}): ByteSegmentCheck {
  const elements = rule.elements.map(compileElement);
  let mandatoryMask = 0;
  const mandatoryHigh: number[] = [];
  elements.forEach((element, i) => {
    if (!element.mandatory) return;
    if (i + 1 <= MASK_POSITIONS) mandatoryMask |= 1 << (i + 1);
    else mandatoryHigh.push(i + 1);
  });
  const masks: MaskNote[] = [];
  const syntaxHigh: SyntaxRule[] = [];
  for (const note of rule.syntax) {
    if (note.positions.some((p) => p > MASK_POSITIONS || p < 1)) {
      syntaxHigh.push(note);
      continue;
    }
    const bit = (p: number): number => 1 << p;
    const rest = note.positions.slice(1).reduce((m, p) => m | bit(p), 0);
    masks.push({ kind: note.kind, all: rest | bit(note.positions[0]), first: bit(note.positions[0]), rest });
  }
  return { elements, mandatoryMask, mandatoryHigh, masks, syntaxHigh };
}

const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;

function digitsValue(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (buf[i] - 0x30);
  return n;
}

function allDigits(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isDigit(buf[i])) return false;
  return true;
}

function validDateBytes(buf: Buffer, s: number, e: number): boolean {
  const len = e - s;
  if ((len !== 6 && len !== 8) || !allDigits(buf, s, e)) return false;
  const y = len === 8 ? digitsValue(buf, s, s + 4) : 2000 + digitsValue(buf, s, s + 2);
  const at = len === 8 ? s + 4 : s + 2;
  const m = digitsValue(buf, at, at + 2);
  const d = digitsValue(buf, at + 2, at + 4);
  if (m < 1 || m > 12 || d < 1) return false;
  const days =
    m === 2
      ? y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
        ? 29
        : 28
      : m === 4 || m === 6 || m === 9 || m === 11
        ? 30
        : 31;
  return d <= days;
}

function validTimeBytes(buf: Buffer, s: number, e: number): boolean {
  const len = e - s;
  if ((len !== 4 && len !== 6 && len !== 7 && len !== 8) || !allDigits(buf, s, e)) return false;
  return (
    digitsValue(buf, s, s + 2) < 24 &&
    digitsValue(buf, s + 2, s + 4) < 60 &&
    (len < 6 || digitsValue(buf, s + 4, s + 6) < 60)
  );
}

/** Printable ASCII with no repetition separator: the only text the fast path vouches for. */
function plainText(buf: Buffer, s: number, e: number, rep: number): boolean {
  for (let i = s; i < e; i++) {
    const b = buf[i];
    if (b < 0x20 || b >= 0x7f || b === rep) return false;
  }
  return true;
}

function scalarValid(el: ByteElement, buf: Buffer, s: number, e: number, rep: number): boolean {
  const len = e - s;
  switch (el.kind) {
    case Kind.AN:
      return plainText(buf, s, e, rep) && len >= el.min && len <= el.max;
    case Kind.ID: {
      if (!plainText(buf, s, e, rep) || len < el.min || len > el.max) return false;
      if (el.codes === null) return true;
      if (len <= MAX_PACKED) {
        let key = 0;
        for (let i = s; i < e; i++) key = key * 128 + buf[i];
        return el.codeKeys!.has(key);
      }
      return el.codes.has(buf.toString('latin1', s, e));
    }
    case Kind.DT:
      return validDateBytes(buf, s, e) && len >= el.min && len <= el.max;
    case Kind.TM:
      return validTimeBytes(buf, s, e) && len >= el.min && len <= el.max;
    case Kind.R: {
      let i = s;
      if (buf[i] === 0x2d) i++;
      let before = 0;
      let after = 0;
      let dot = false;
      for (; i < e; i++) {
        const b = buf[i];
        if (isDigit(b)) {
          if (dot) after++;
          else before++;
        } else if (b === 0x2e && !dot) dot = true;
        else return false;
      }
      if (before === 0 && after === 0) return false;
      const digits = before + after;
      return digits >= el.min && digits <= el.max;
    }
    case Kind.B:
      return plainText(buf, s, e, rep);
    case Kind.N: {
      let i = s;
      if (buf[i] === 0x2d) i++;
      if (i === e || !allDigits(buf, i, e)) return false;
      const digits = e - i;
      return digits >= el.min && digits <= el.max;
    }
    case Kind.Composite:
      return false;
  }
}

/**
 * Reads a simple element from `s` up to the next separator (or `end`) and checks it in the same
 * pass; returns where it ends, or -1 when the string checks must decide.
 */
function scanScalar(el: ByteElement, buf: Buffer, s: number, end: number, sep: number, rep: number): number {
  let q = s;
  switch (el.kind) {
    case Kind.AN:
    case Kind.B: {
      for (; q < end; q++) {
        const b = buf[q];
        if (b === sep) break;
        if (b < 0x20 || b >= 0x7f || b === rep) return -1;
      }
      const len = q - s;
      return el.kind === Kind.B || (len >= el.min && len <= el.max) ? q : -1;
    }
    case Kind.ID: {
      let key = 0;
      for (; q < end; q++) {
        const b = buf[q];
        if (b === sep) break;
        if (b < 0x20 || b >= 0x7f || b === rep) return -1;
        key = key * 128 + b;
      }
      const len = q - s;
      if (len < el.min || len > el.max) return -1;
      if (el.codes === null) return q;
      if (len <= MAX_PACKED) return el.codeKeys!.has(key) ? q : -1;
      return el.codes.has(buf.toString('latin1', s, q)) ? q : -1;
    }
    case Kind.N: {
      if (buf[q] === 0x2d) q++;
      const first = q;
      for (; q < end; q++) {
        const b = buf[q];
        if (b === sep) break;
        if (b < 0x30 || b > 0x39) return -1;
      }
      const digits = q - first;
      return digits > 0 && digits >= el.min && digits <= el.max ? q : -1;
    }
    case Kind.R: {
      if (buf[q] === 0x2d) q++;
      let digits = 0;
      let dot = false;
      for (; q < end; q++) {
        const b = buf[q];
        if (b === sep) break;
        if (b >= 0x30 && b <= 0x39) digits++;
        else if (b === 0x2e && !dot) dot = true;
        else return -1;
      }
      return digits > 0 && digits >= el.min && digits <= el.max ? q : -1;
    }
    case Kind.DT:
    case Kind.TM:
    case Kind.Composite: {
      for (; q < end && buf[q] !== sep; q++);
      return scalarValid(el, buf, s, q, rep) ? q : -1;
    }
  }
}

function compositeValid(
  el: ByteElement,
  buf: Buffer,
  s: number,
  e: number,
  comp: number,
  rep: number,
): boolean {
  const components = el.components!;
  if (comp < 0)
    return (
      components.length > 0 &&
      scalarValid(components[0], buf, s, e, rep) &&
      components.every((c, i) => i === 0 || !c.mandatory)
    );
  let c = 0;
  let p = s;
  for (;;) {
    let q = p;
    while (q < e && buf[q] !== comp) q++;
    if (q > p) {
      if (c >= components.length || !scalarValid(components[c], buf, p, q, rep)) return false;
    } else if (c < components.length && components[c].mandatory) {
      return false;
    }
    c++;
    if (q >= e) break;
    p = q + 1;
  }
  for (; c < components.length; c++) if (components[c].mandatory) return false;
  return true;
}

/** Per-validator scratch: which element positions the current segment fills. */
export class PresenceMarks {
  private readonly stamps = new Int32Array(MAX_FAST_ELEMENTS + 1);
  private mark = 0;

  next(): number {
    if (++this.mark === 0x7fffffff) {
      this.stamps.fill(0);
      this.mark = 1;
    }
    return this.mark;
  }

  set(position: number, mark: number): void {
    this.stamps[position] = mark;
  }

  has(position: number, mark: number): boolean {
    return position <= MAX_FAST_ELEMENTS && this.stamps[position] === mark;
  }
}

function maskHolds(note: MaskNote, present: number): boolean {
  const hit = present & note.all;
  switch (note.kind) {
    case 'P':
      return hit === 0 || hit === note.all;
    case 'R':
      return hit !== 0;
    case 'C':
      return (present & note.first) === 0 || (present & note.rest) === note.rest;
    case 'L':
      return (present & note.first) === 0 || (present & note.rest) !== 0;
    case 'E':
      return (hit & (hit - 1)) === 0;
  }
}

function syntaxHolds(note: SyntaxRule, marks: PresenceMarks, mark: number): boolean {
  const positions = note.positions;
  switch (note.kind) {
    case 'P': {
      let present = 0;
      for (const p of positions) if (marks.has(p, mark)) present++;
      return present === 0 || present === positions.length;
    }
    case 'R':
      for (const p of positions) if (marks.has(p, mark)) return true;
      return false;
    case 'C':
      if (!marks.has(positions[0], mark)) return true;
      for (let i = 1; i < positions.length; i++) if (!marks.has(positions[i], mark)) return false;
      return true;
    case 'L':
      if (!marks.has(positions[0], mark)) return true;
      for (let i = 1; i < positions.length; i++) if (marks.has(positions[i], mark)) return true;
      return false;
    case 'E': {
      let count = 0;
      for (const p of positions) if (marks.has(p, mark)) count++;
      return count <= 1;
    }
  }
}

/**
 * True when the segment in `buf[start, end)` certainly passes its rule (elements, lengths, types,
 * codes, syntax notes); false when the exact string checks must decide.
 */
export function segmentBytesValid(
  check: ByteSegmentCheck,
  buf: Buffer,
  start: number,
  end: number,
  separator: number,
  component: number,
  repetition: number,
  marks: PresenceMarks,
): boolean {
  const mark = marks.next();
  const elements = check.elements;
  const defined = elements.length;
  let p = start;
  while (p < end && buf[p] !== separator) p++;
  let k = 0;
  let present = 0;
  // p is on a separator (or at the end); each turn reads the element after it.
  while (p < end) {
    p++;
    k++;
    if (p === end || buf[p] === separator) continue;
    if (k > defined || k > MAX_FAST_ELEMENTS) return false;
    if (k <= MASK_POSITIONS) present |= 1 << k;
    else marks.set(k, mark);
    const el = elements[k - 1];
    if (el.kind === Kind.Composite) {
      let q = p;
      while (q < end && buf[q] !== separator) q++;
      if (!compositeValid(el, buf, p, q, component, repetition)) return false;
      p = q;
    } else {
      p = scanScalar(el, buf, p, end, separator, repetition);
      if (p < 0) return false;
    }
  }
  if ((present & check.mandatoryMask) !== check.mandatoryMask) return false;
  for (const m of check.mandatoryHigh) if (!marks.has(m, mark)) return false;
  const masks = check.masks;
  for (let i = 0; i < masks.length; i++) if (!maskHolds(masks[i], present)) return false;
  if (check.syntaxHigh.length > 0) {
    // Positions up to 30 live in the mask: copy them into the marks for the rare long notes.
    for (let b = 1; b <= MASK_POSITIONS; b++) if (present & (1 << b)) marks.set(b, mark);
    for (const note of check.syntaxHigh) if (!syntaxHolds(note, marks, mark)) return false;
  }
  return true;
}

/** A 2- or 3-character ASCII segment id as a number (-1 for anything else), the structure's lookup key. */
export function segmentKeyOfBytes(buf: Buffer, start: number, end: number, separator: number): number {
  let i = start;
  const limit = Math.min(end, start + 4);
  while (i < limit && buf[i] !== separator) i++;
  const len = i - start;
  if (len === 2) return keyOf(buf[start], buf[start + 1], 0);
  if (len === 3) return keyOf(buf[start], buf[start + 1], buf[start + 2]);
  return -1;
}

export function segmentKeyOf(id: string): number {
  if (id.length === 2) return keyOf(id.charCodeAt(0), id.charCodeAt(1), 0);
  if (id.length === 3) return keyOf(id.charCodeAt(0), id.charCodeAt(1), id.charCodeAt(2));
  return -1;
}

function keyOf(a: number, b: number, c: number): number {
  return a > 0x7f || b > 0x7f || c > 0x7f ? -1 : (a << 16) | (b << 8) | c;
}

import { isAlphanumericByte, isLayoutByte, type Delimiters } from './delimiters';

/**
 * A byte-level, incremental X12 scanner. `push(chunk)` any number of times, then `end()`. It finds
 * each ISA by scanning (after a BOM, blank lines or junk), takes that interchange's delimiters from
 * it, and emits segments one at a time as views on the input: memory is bounded by the longest
 * segment, never by the file.
 */

/** A segment as a window on the scanned bytes; valid only during the `segment` call that receives it. */
export interface SegmentView {
  buffer: Buffer;
  /** Start of the segment id in `buffer`. */
  start: number;
  /** End of the segment content (terminator and trailing line breaks excluded). */
  end: number;
  /** 1-based ordinal of the segment in the file. */
  filePosition: number;
  /** Offset of the segment's first byte in the file. */
  byteOffset: number;
  delimiters: Delimiters;
}

export type ScanIssueCode =
  | 'EMPTY_FILE'
  | 'NOT_X12'
  | 'EBCDIC_NOT_SUPPORTED'
  | 'ISA_MALFORMED'
  | 'ISA_INCOMPLETE'
  | 'ISA_NOT_FIXED_LENGTH'
  | 'UNEXPECTED_DATA'
  | 'SEGMENT_TOO_LONG'
  | 'EMPTY_SEGMENT'
  | 'MISSING_FINAL_TERMINATOR';

export interface ScanIssue {
  code: ScanIssueCode;
  message: string;
  severity: 'error' | 'warning';
  byteOffset: number;
  /** TA1 I18 note code when the issue concerns an interchange header. */
  ta1Code?: string;
}

export interface ScanSink {
  segment(view: SegmentView): void;
  issue(issue: ScanIssue): void;
}

export interface ScannerOptions {
  /** A segment longer than this is refused and skipped to its terminator (default 1 MiB). */
  maxSegmentBytes?: number;
}

type Mode = 'seek' | 'resync' | 'body' | 'skip' | 'halt';

const ISA_MAX_HEADER_BYTES = 256;
const BRIDGE_BYTES = 4096;
const BOM = [0xef, 0xbb, 0xbf];
const EBCDIC_ISA = [0xc9, 0xe2, 0xc1];
const NO_BYTES = Buffer.alloc(0);

export class X12Scanner {
  private mode: Mode = 'seek';
  private pending: Buffer | null = null;
  /** File offset of pending[0] (or of the next chunk when nothing is pending). */
  private base = 0;
  private segmentCount = 0;
  private sawContent = false;
  private delimiters: Delimiters | null = null;
  /** The delimiters of the last interchange read, kept across `reset`. */
  private lastDelimiters: Delimiters | null = null;
  private readonly maxSegmentBytes: number;

  constructor(
    private readonly sink: ScanSink,
    options: ScannerOptions = {},
  ) {
    this.maxSegmentBytes = options.maxSegmentBytes ?? 1 << 20;
  }

  /** Makes the scanner ready for a new file, keeping what it allocated (one scanner per stream of documents). */
  reset(): void {
    this.mode = 'seek';
    this.pending = null;
    this.base = 0;
    this.segmentCount = 0;
    this.sawContent = false;
    this.delimiters = null;
  }

  get segmentsEmitted(): number {
    return this.segmentCount;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0 || this.mode === 'halt') return;
    let rest = chunk;
    const pending = this.pending;
    if (pending && pending.length > 0) {
      // Join the unfinished tail with only as much of the chunk as it takes to finish it, so a
      // large chunk is never copied: its remaining segments are read in place.
      let take = Math.min(chunk.length, BRIDGE_BYTES);
      for (;;) {
        const bridged = Buffer.concat([pending, chunk.subarray(0, take)]);
        const consumed = this.run(bridged, false);
        if (take === chunk.length) {
          this.keepTail(bridged, consumed);
          return;
        }
        if (consumed > pending.length) {
          this.base += consumed;
          this.pending = null;
          rest = chunk.subarray(consumed - pending.length);
          break;
        }
        take = Math.min(chunk.length, take * 8);
      }
      if (rest.length === 0) return;
    }
    const consumed = this.run(rest, false);
    this.keepTail(rest, consumed);
  }

  end(): void {
    if (this.mode !== 'halt' && this.pending && this.pending.length > 0) {
      const buf = this.pending;
      const consumed = this.run(buf, true);
      this.keepTail(buf, consumed);
    }
    if (!this.sawContent) {
      this.sink.issue({
        code: 'EMPTY_FILE',
        message: 'the file holds no data',
        severity: 'error',
        byteOffset: 0,
      });
    }
    this.pending = null;
  }

  private keepTail(buf: Buffer, consumed: number): void {
    if (consumed >= buf.length) {
      this.pending = null;
    } else {
      // A copy, so a large chunk is not retained for the sake of its last few bytes.
      this.pending = Buffer.from(buf.subarray(consumed));
    }
    this.base += consumed;
  }

  /** Processes `buf` from 0; returns how many bytes are fully consumed. */
  private run(buf: Buffer, final: boolean): number {
    let pos = 0;
    const len = buf.length;
    while (pos < len) {
      switch (this.mode) {
        case 'halt':
          return len;
        case 'seek':
        case 'resync': {
          if (
            this.base + pos === 0 &&
            len >= 3 &&
            buf[0] === BOM[0] &&
            buf[1] === BOM[1] &&
            buf[2] === BOM[2]
          ) {
            pos = 3;
            continue;
          }
          while (pos < len && (isLayoutByte(buf[pos]) || buf[pos] === 0x00)) pos++;
          if (pos >= len) return pos;
          this.sawContent = true;
          if (len - pos < 4 && !final) return pos;
          if (
            buf[pos] === 0x49 &&
            buf[pos + 1] === 0x53 &&
            buf[pos + 2] === 0x41 &&
            pos + 3 < len &&
            !isAlphanumericByte(buf[pos + 3])
          ) {
            const next = this.readHeader(buf, pos, final);
            if (next === -1) return pos;
            pos = next;
            continue;
          }
          if (
            buf[pos] === EBCDIC_ISA[0] &&
            buf[pos + 1] === EBCDIC_ISA[1] &&
            buf[pos + 2] === EBCDIC_ISA[2]
          ) {
            this.sink.issue({
              code: 'EBCDIC_NOT_SUPPORTED',
              message: 'the data is EBCDIC-encoded; only ASCII/UTF-8 X12 is accepted',
              severity: 'error',
              byteOffset: this.base + pos,
            });
            this.mode = 'halt';
            return len;
          }
          if (this.mode === 'seek') {
            this.sink.issue({
              code: this.segmentCount === 0 ? 'NOT_X12' : 'UNEXPECTED_DATA',
              message:
                this.segmentCount === 0
                  ? 'the data does not start with an ISA interchange header'
                  : 'data that is not an interchange follows an IEA trailer',
              severity: 'error',
              byteOffset: this.base + pos,
            });
            this.mode = 'resync';
          }
          const found = findIsa(buf, pos + 1);
          if (found === -1) {
            // Keep the last bytes: an ISA may straddle this chunk and the next.
            return final ? len : Math.max(pos, len - 3);
          }
          pos = found;
          this.mode = 'seek';
          continue;
        }
        case 'skip': {
          const term = this.delimiters!.segment;
          const idx = buf.indexOf(term, pos);
          if (idx === -1) return final ? len : Math.max(pos, len - term.length + 1);
          pos = idx + term.length;
          this.mode = 'body';
          continue;
        }
        case 'body': {
          const d = this.delimiters!;
          while (pos < len && isLayoutByte(buf[pos])) pos++;
          if (pos >= len) return pos;
          const idx = d.segment.length === 1 ? buf.indexOf(d.segment[0], pos) : buf.indexOf(d.segment, pos);
          if (idx === -1) {
            if (len - pos > this.maxSegmentBytes) {
              this.sink.issue({
                code: 'SEGMENT_TOO_LONG',
                message: `no segment terminator within ${this.maxSegmentBytes} bytes`,
                severity: 'error',
                byteOffset: this.base + pos,
              });
              this.mode = 'skip';
              pos = len;
              return pos;
            }
            if (!final) return pos;
            let end = len;
            while (end > pos && isLayoutByte(buf[end - 1])) end--;
            this.sink.issue({
              code: 'MISSING_FINAL_TERMINATOR',
              message: 'the last segment has no segment terminator; it is read up to the end of the file',
              severity: 'warning',
              byteOffset: this.base + pos,
            });
            this.emit(buf, pos, end);
            return len;
          }
          let end = idx;
          while (end > pos && (buf[end - 1] === 0x0d || buf[end - 1] === 0x0a)) end--;
          if (end === pos) {
            this.sink.issue({
              code: 'EMPTY_SEGMENT',
              message: 'an empty segment is ignored',
              severity: 'warning',
              byteOffset: this.base + pos,
            });
            pos = idx + d.segment.length;
            continue;
          }
          if (
            buf[pos] === 0x49 &&
            buf[pos + 1] === 0x53 &&
            buf[pos + 2] === 0x41 &&
            end - pos > 3 &&
            !isAlphanumericByte(buf[pos + 3])
          ) {
            // A new interchange header: its delimiters may differ, so read it afresh.
            this.mode = 'seek';
            continue;
          }
          this.emit(buf, pos, end);
          if (
            buf[pos] === 0x49 &&
            buf[pos + 1] === 0x45 &&
            buf[pos + 2] === 0x41 &&
            (end - pos === 3 || buf[pos + 3] === d.element)
          ) {
            this.mode = 'seek';
          }
          pos = idx + d.segment.length;
          continue;
        }
      }
    }
    return pos;
  }

  /** One view, refilled for each segment: a view is only valid during the sink call. */
  private readonly view: SegmentView = {
    buffer: NO_BYTES,
    start: 0,
    end: 0,
    filePosition: 0,
    byteOffset: 0,
    delimiters: { element: 0, component: 0, segment: NO_BYTES },
  };

  private emit(buf: Buffer, start: number, end: number): void {
    this.segmentCount++;
    const view = this.view;
    view.buffer = buf;
    view.start = start;
    view.end = end;
    view.filePosition = this.segmentCount;
    view.byteOffset = this.base + start;
    view.delimiters = this.delimiters!;
    this.sink.segment(view);
  }

  /** Reads an ISA at `pos`; returns the position after its terminator, or -1 when more bytes are needed. */
  private readHeader(buf: Buffer, pos: number, final: boolean): number {
    const element = buf[pos + 3];
    const limit = Math.min(buf.length, pos + ISA_MAX_HEADER_BYTES);
    let separators = 0;
    let i = pos + 3;
    let sixteenth = -1;
    for (; i < limit; i++) {
      if (buf[i] === element && ++separators === 16) {
        sixteenth = i;
        break;
      }
    }
    const needMore = !final && buf.length - pos < ISA_MAX_HEADER_BYTES;
    if (sixteenth === -1 || sixteenth + 2 >= buf.length) {
      if (needMore) return -1;
      const code = i >= buf.length || sixteenth !== -1 ? 'ISA_INCOMPLETE' : 'ISA_MALFORMED';
      this.sink.issue({
        code,
        message:
          code === 'ISA_INCOMPLETE'
            ? 'the file ends inside the ISA interchange header'
            : `the ISA header does not have 16 elements separated by ${JSON.stringify(String.fromCharCode(element))}`,
        severity: 'error',
        byteOffset: this.base + pos,
        ta1Code: code === 'ISA_INCOMPLETE' ? '023' : '026',
      });
      this.mode = 'resync';
      return pos + 3;
    }
    const component = buf[sixteenth + 1];
    const termStart = sixteenth + 2;
    const lead = buf[termStart];
    const termLength = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (termStart + termLength > buf.length) {
      if (!final) return -1;
    }
    const problem =
      isAlphanumericByte(element) || element === 0x20
        ? { ta1: '026', text: 'the element separator is a letter, digit or space' }
        : isAlphanumericByte(component) || component === element
          ? {
              ta1: '027',
              text: 'the component separator (ISA16) is a letter, digit or equals another delimiter',
            }
          : isAlphanumericByte(lead) ||
              lead === element ||
              lead === component ||
              termStart + termLength > buf.length
            ? { ta1: '004', text: 'the segment terminator after ISA16 is missing or invalid' }
            : null;
    if (problem) {
      this.sink.issue({
        code: 'ISA_MALFORMED',
        message: problem.text,
        severity: 'error',
        byteOffset: this.base + pos,
        ta1Code: problem.ta1,
      });
      this.mode = 'resync';
      return pos + 3;
    }
    // ISA11 and ISA12 lie between the 11th, 12th and 13th separators.
    let eleventh = -1;
    let twelfth = -1;
    let thirteenth = -1;
    for (let k = pos + 3, n = 0; k < sixteenth && thirteenth === -1; k++) {
      if (buf[k] !== element) continue;
      n++;
      if (n === 11) eleventh = k;
      else if (n === 12) twelfth = k;
      else if (n === 13) thirteenth = k;
    }
    const version = twelfth === -1 ? '' : buf.toString('latin1', twelfth + 1, thirteenth);
    const repetition =
      version >= '00402' && twelfth - eleventh === 2 && !isAlphanumericByte(buf[eleventh + 1])
        ? buf[eleventh + 1]
        : undefined;
    // Interchanges after the first usually repeat the delimiters: the same object serves them.
    let delimiters = this.lastDelimiters;
    if (
      delimiters === null ||
      delimiters.element !== element ||
      delimiters.component !== component ||
      delimiters.repetition !== repetition ||
      delimiters.segment.length !== termLength ||
      buf.compare(delimiters.segment, 0, termLength, termStart, termStart + termLength) !== 0
    ) {
      delimiters = {
        element,
        component,
        segment: Buffer.from(buf.subarray(termStart, termStart + termLength)),
      };
      if (repetition !== undefined) delimiters.repetition = repetition;
      this.lastDelimiters = delimiters;
    }
    if (termStart + termLength - pos !== 106) {
      this.sink.issue({
        code: 'ISA_NOT_FIXED_LENGTH',
        message: `the ISA segment is ${termStart + termLength - pos} bytes instead of 106; delimiters were found by counting separators`,
        severity: 'warning',
        byteOffset: this.base + pos,
      });
    }
    this.delimiters = delimiters;
    this.mode = 'body';
    this.emit(buf, pos, termStart);
    return termStart + termLength;
  }
}

function findIsa(buf: Buffer, from: number): number {
  let idx = buf.indexOf('ISA', from, 'latin1');
  while (idx !== -1) {
    if (idx + 3 >= buf.length || !isAlphanumericByte(buf[idx + 3])) return idx;
    idx = buf.indexOf('ISA', idx + 1, 'latin1');
  }
  return -1;
}

/** The segment id of a view (bytes before the first element separator). */
export function segmentIdOf(view: SegmentView): string {
  const { buffer, start, end, delimiters } = view;
  let i = start;
  const limit = Math.min(end, start + 4);
  while (i < limit && buffer[i] !== delimiters.element) i++;
  return buffer.toString('latin1', start, i);
}

/** Elements of a segment: index 0 is the segment id, index n is element n. */
export function elementsOf(view: SegmentView): string[] {
  return view.buffer
    .toString('utf8', view.start, view.end)
    .split(String.fromCharCode(view.delimiters.element));
}

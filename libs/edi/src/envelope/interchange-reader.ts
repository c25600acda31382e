import type { InputIssue, InputPlace } from '@crossdock/domain';
import { elementsOf, type ScanIssue, type ScanSink, type SegmentView } from '../scanner/x12-scanner';
import { segmentKeyOf, segmentKeyOfBytes } from '../validation/byte-check';
import type { SetObserver, SetValidator, SetValidatorFactory } from '../validation/set-validator.port';
import type {
  DuplicateAction,
  GroupHeader,
  GroupResult,
  GroupVerdict,
  InterchangeHeader,
  InterchangeResult,
  ScanSummary,
  SetResult,
} from './envelope.types';

export interface SetContext {
  interchange: InterchangeHeader;
  group: GroupHeader;
  setId: string;
  controlNumber: string;
  implementationRef?: string;
  /** `ISA13/GS06/ST02`, the lineage id of everything the set produces. */
  key: string;
}

export interface InterchangeReaderOptions {
  source?: string;
  /** Without validators only the envelope is checked and set bodies are not decoded (fast path). */
  validators?: SetValidatorFactory;
  /** Gives each set an observer (translation) that sees its body segments. */
  observe?: (context: SetContext) => SetObserver | null;
  onSetClosed?: (context: SetContext, result: SetResult) => void;
  onInterchangeClosed?: (result: InterchangeResult) => void;
  duplicateGroupAction?: DuplicateAction;
  duplicateSetAction?: DuplicateAction;
  /** Segment errors kept per set; the rest are counted into the message of the last one. */
  maxErrorsPerSet?: number;
}

const enum Kind {
  Body,
  ISA,
  IEA,
  GS,
  GE,
  ST,
  SE,
  TA1,
}

function kindOf(view: SegmentView): Kind {
  const b = view.buffer;
  const s = view.start;
  const len = view.end - s;
  const sep = view.delimiters.element;
  const b0 = b[s];
  const b1 = b[s + 1];
  if (len >= 2 && (len === 2 || b[s + 2] === sep)) {
    if (b0 === 0x53 && b1 === 0x54) return Kind.ST;
    if (b0 === 0x53 && b1 === 0x45) return Kind.SE;
    if (b0 === 0x47 && b1 === 0x53) return Kind.GS;
    if (b0 === 0x47 && b1 === 0x45) return Kind.GE;
    return Kind.Body;
  }
  if (len >= 3 && (len === 3 || b[s + 3] === sep)) {
    const b2 = b[s + 2];
    if (b0 === 0x49 && b1 === 0x53 && b2 === 0x41) return Kind.ISA;
    if (b0 === 0x49 && b1 === 0x45 && b2 === 0x41) return Kind.IEA;
    if (b0 === 0x54 && b1 === 0x41 && b2 === 0x31) return Kind.TA1;
  }
  return Kind.Body;
}

interface OpenSet {
  context: SetContext;
  result: SetResult;
  validator: SetValidator | null;
  observer: SetObserver | null;
  /** Segment ids the observer reads (see `SetObserver.segmentIds`), null for all. */
  observedKeys: ReadonlySet<number> | null;
  count: number;
}

const observedKeysCache = new WeakMap<ReadonlySet<string>, ReadonlySet<number>>();

function observedKeysOf(observer: SetObserver | null): ReadonlySet<number> | null {
  const ids = observer?.segmentIds;
  if (!ids) return null;
  let keys = observedKeysCache.get(ids);
  if (!keys) {
    keys = new Set([...ids].map(segmentKeyOf));
    observedKeysCache.set(ids, keys);
  }
  return keys;
}

function asNumber(value: string | undefined): number {
  if (value === undefined) return NaN;
  if (value.length > 0 && value.length <= 15) {
    let n = 0;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
      n = n * 10 + (c - 0x30);
    }
    return n;
  }
  return /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
}

/**
 * Elements 1 and 2 of a GE or IEA read straight from the bytes when both are plain digits (at most
 * 15) and nothing follows; -1 otherwise, and the trailer is then decoded and checked in full.
 */
function trailerNumber(view: SegmentView, element: 1 | 2): number {
  const { buffer, end } = view;
  const sep = view.delimiters.element;
  let p = view.start;
  for (let seen = 0; seen < element; p++) {
    if (p >= end) return -1;
    if (buffer[p] === sep) seen++;
  }
  let n = 0;
  const from = p;
  for (; p < end && buffer[p] !== sep; p++) {
    const b = buffer[p];
    if (b < 0x30 || b > 0x39) return -1;
    n = n * 10 + (b - 0x30);
  }
  if (p === from || p - from > 15 || (element === 2 && p !== end)) return -1;
  return n;
}

/**
 * `elementsOf(view)` for a printable-ASCII segment, reusing the string `remembered` holds for an
 * element whose bytes are the same, and remembering the new ones; any other segment is decoded.
 */
function elementsRemembered(view: SegmentView, remembered: string[]): string[] {
  const { buffer, start, end } = view;
  const sep = view.delimiters.element;
  if (sep >= 0x80) return elementsOf(view);
  const elements: string[] = [];
  let from = start;
  for (let p = start; p <= end; p++) {
    if (p < end && buffer[p] !== sep) {
      const b = buffer[p];
      if (b < 0x20 || b >= 0x7f) return elementsOf(view);
      continue;
    }
    const i = elements.length;
    const known = remembered[i];
    let same = known !== undefined && known.length === p - from;
    for (let k = 0; same && k < known.length; k++) same = known.charCodeAt(k) === buffer[from + k];
    if (same) elements.push(known);
    else {
      const text = buffer.toString('latin1', from, p);
      remembered[i] = text;
      elements.push(text);
    }
    from = p + 1;
  }
  return elements;
}

/**
 * The id and elements 1…3 of an ST whose bytes are printable ASCII with at most three elements (what
 * decoding would give); null for anything else, which is then decoded in full.
 */
function stFields(view: SegmentView): string[] | null {
  const { buffer, start, end } = view;
  const sep = view.delimiters.element;
  const fields = ['ST'];
  let from = start + 3;
  if (end - start < 3 || buffer[start + 2] !== sep) return null;
  for (let p = from; p <= end; p++) {
    if (p === end || buffer[p] === sep) {
      if (fields.length === 4) return null;
      fields.push(buffer.toString('latin1', from, p));
      from = p + 1;
      continue;
    }
    const b = buffer[p];
    if (b < 0x20 || b >= 0x7f) return null;
  }
  return fields;
}

/**
 * Whether element `element` of the segment is exactly `expected` (letters and digits only) with
 * nothing after it; false sends the segment through the full check.
 */
function elementIs(view: SegmentView, element: number, expected: string): boolean {
  const { buffer, end } = view;
  const sep = view.delimiters.element;
  let p = view.start;
  for (let seen = 0; seen < element; p++) {
    if (p >= end) return false;
    if (buffer[p] === sep) seen++;
  }
  if (end - p !== expected.length || expected.length === 0) return false;
  for (let i = 0; i < expected.length; i++) {
    const c = expected.charCodeAt(i);
    if (buffer[p + i] !== c) return false;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) return false;
  }
  return true;
}

/**
 * Checks the X12 envelope while segments stream in: ISA/IEA, GS/GE and ST/SE pairing, control
 * numbers and counts, duplicates inside the file; hands set bodies to a validator and an observer.
 */
export class InterchangeReader implements ScanSink {
  private current: ScanSummary = emptySummary();
  private interchange: InterchangeResult | null = null;
  private group: GroupResult | null = null;
  private set: OpenSet | null = null;
  private readonly groupControls = new Set<string>();
  private readonly setControls = new Set<string>();
  private headerWarnings: InputIssue[] = [];
  /**
   * The ISA and GS elements last read, by position: a partner's headers repeat all but their dates,
   * times and control numbers, and those elements are taken over instead of decoded again.
   */
  private readonly isaStrings: string[] = [];
  private readonly gsStrings: string[] = [];
  /** ISA elements last trimmed (padded ones only) and their trimmed forms, by position. */
  private readonly lastPadded: string[] = [];
  private readonly lastTrimmed: string[] = [];
  /** The last ISA09 date and ISA10 time found valid. */
  private lastGoodDate: string | null = null;
  private lastGoodTime: string | null = null;
  private readonly decodeBodies: boolean;
  private readonly maxErrors: number;

  constructor(private readonly options: InterchangeReaderOptions = {}) {
    this.decodeBodies = Boolean(options.validators || options.observe);
    this.maxErrors = options.maxErrorsPerSet ?? 50;
  }

  /** The summary being filled (returned by `finish`). */
  get summary(): ScanSummary {
    return this.current;
  }

  /**
   * Makes the reader ready for a new file, keeping its options and what it allocated; the summary
   * `finish` returned before stays the caller's.
   */
  reset(): void {
    this.current = emptySummary();
    this.interchange = null;
    this.group = null;
    this.set = null;
    this.groupControls.clear();
    this.setControls.clear();
    if (this.headerWarnings.length > 0) this.headerWarnings = [];
  }

  segment(view: SegmentView): void {
    this.current.segments++;
    const kind = kindOf(view);
    if (kind === Kind.Body && this.set) {
      const open = this.set;
      open.count++;
      if (this.decodeBodies) {
        let elements: string[] | null = null;
        const validator = open.validator;
        if (validator) {
          if (validator.segmentView) validator.segmentView(view, open.count);
          else {
            elements = elementsOf(view);
            validator.segment(elements[0], elements, open.count);
          }
        }
        const observer = open.observer;
        if (
          observer &&
          (open.observedKeys === null ||
            open.observedKeys.has(
              segmentKeyOfBytes(view.buffer, view.start, view.end, view.delimiters.element),
            ))
        ) {
          elements ??= elementsOf(view);
          observer.segment(elements[0], elements, open.count);
        }
      }
      return;
    }
    if (kind === Kind.SE && this.set && this.set.observer === null) {
      // The usual, clean trailer is checked without decoding it.
      const open = this.set;
      const validator = open.validator;
      if (
        (validator === null || validator.segmentView !== undefined) &&
        trailerNumber(view, 1) === open.count + 1 &&
        elementIs(view, 2, open.result.controlNumber)
      ) {
        open.count++;
        validator?.segmentView!(view, open.count);
        open.result.byteEnd = view.byteOffset + (view.end - view.start);
        return this.endSet();
      }
    } else if (kind === Kind.GE && this.group && !this.set) {
      // The usual, clean trailer is checked without decoding it.
      const group = this.group;
      if (
        trailerNumber(view, 1) === group.sets.length &&
        trailerNumber(view, 2) === asNumber(group.header.controlNumber)
      ) {
        group.trailerFound = true;
        return this.endGroup();
      }
    } else if (kind === Kind.IEA && this.interchange && !this.group && !this.set) {
      const ic = this.interchange;
      if (
        trailerNumber(view, 1) === ic.groups.length &&
        trailerNumber(view, 2) === asNumber(ic.header.controlNumber)
      ) {
        ic.trailerFound = true;
        ic.byteEnd = view.byteOffset + (view.end - view.start);
        return this.endInterchange();
      }
    }
    if (kind === Kind.ST) return this.openSet(view);
    const elements =
      kind === Kind.ISA
        ? elementsRemembered(view, this.isaStrings)
        : kind === Kind.GS
          ? elementsRemembered(view, this.gsStrings)
          : elementsOf(view);
    switch (kind) {
      case Kind.ISA:
        return this.openInterchange(view, elements);
      case Kind.IEA:
        return this.closeInterchange(view, elements);
      case Kind.GS:
        return this.openGroup(view, elements);
      case Kind.GE:
        return this.closeGroup(view, elements);
      case Kind.SE:
        return this.closeSet(view, elements);
      case Kind.TA1:
        if (this.interchange && !this.group) {
          this.interchange.receivedTa1.push({
            controlNumber: elements[1] ?? '',
            ackCode: elements[4] ?? '',
            noteCode: elements[5] ?? '',
          });
          return;
        }
        return this.stray(view, elements[0]);
      case Kind.Body:
        return this.stray(view, elements[0]);
    }
  }

  issue(scan: ScanIssue): void {
    const issue: InputIssue = {
      code: scan.code,
      message: `${scan.message} (byte ${scan.byteOffset})`,
      place: this.place({ column: `byte ${scan.byteOffset}` }),
      severity: scan.severity,
    };
    if (scan.code === 'ISA_NOT_FIXED_LENGTH') {
      this.headerWarnings.push(issue);
      return;
    }
    if (this.interchange && scan.code !== 'NOT_X12' && scan.code !== 'EBCDIC_NOT_SUPPORTED') {
      this.interchange.issues.push(issue);
      if (scan.severity === 'error') this.rejectInterchange(scan.ta1Code ?? '024');
      return;
    }
    this.current.fileIssues.push(issue);
  }

  /** Header of the interchange being read, if any. */
  openInterchangeHeader(): InterchangeHeader | null {
    return this.interchange?.header ?? null;
  }

  /** Closes whatever is still open (a truncated file) and returns the summary. */
  finish(bytes: number): ScanSummary {
    if (this.interchange) {
      this.interchange.issues.push(
        this.problem(
          'INTERCHANGE_TRAILER_MISSING',
          'the file ends before the IEA trailer of this interchange',
          {
            segment: 'ISA',
            segmentPosition: this.interchange.filePosition,
          },
        ),
      );
      this.rejectInterchange('023');
      this.endInterchange();
    }
    this.current.bytes = bytes;
    return this.current;
  }

  private place(extra: InputPlace): InputPlace {
    return this.options.source ? { source: this.options.source, ...extra } : extra;
  }

  private problem(
    code: string,
    message: string,
    place: InputPlace,
    severity: 'error' | 'warning' = 'error',
  ): InputIssue {
    return { code, message, place: this.place(place), severity };
  }

  private rejectInterchange(ta1Code: string): void {
    if (!this.interchange) return;
    this.interchange.accepted = false;
    if (this.interchange.ta1Code === '000') this.interchange.ta1Code = ta1Code;
  }

  private stray(view: SegmentView, id: string): void {
    const place = { segment: id, segmentPosition: view.filePosition };
    if (this.group) {
      this.group.issues.push(
        this.problem('SEGMENT_OUTSIDE_SET', `segment ${id} is outside any ST/SE transaction set`, place),
      );
      if (!this.group.groupCodes.includes('24')) this.group.groupCodes.push('24');
    } else if (this.interchange) {
      this.interchange.issues.push(
        this.problem('SEGMENT_OUTSIDE_GROUP', `segment ${id} is outside any GS/GE functional group`, place),
      );
      this.rejectInterchange('024');
    } else {
      this.current.fileIssues.push(
        this.problem(
          'SEGMENT_OUTSIDE_INTERCHANGE',
          `segment ${id} is outside any ISA/IEA interchange`,
          place,
        ),
      );
    }
  }

  private openInterchange(view: SegmentView, e: string[]): void {
    if (this.interchange) {
      this.interchange.issues.push(
        this.problem(
          'INTERCHANGE_TRAILER_MISSING',
          'a new ISA starts before the IEA trailer of this interchange',
          {
            segment: 'ISA',
            segmentPosition: view.filePosition,
          },
        ),
      );
      this.rejectInterchange('023');
      this.endInterchange();
    }
    const field = (i: number): string => {
      const value = e[i] ?? '';
      // A padded id repeats from one header to the next: its trimmed form is taken over too.
      if (value === this.lastPadded[i]) return this.lastTrimmed[i];
      const trimmed = value.trim();
      if (trimmed !== value) {
        this.lastPadded[i] = value;
        this.lastTrimmed[i] = trimmed;
      }
      return trimmed;
    };
    const header: InterchangeHeader = {
      authorizationQualifier: field(1),
      authorizationInfo: field(2),
      securityQualifier: field(3),
      securityInfo: field(4),
      senderQualifier: field(5),
      senderId: field(6),
      receiverQualifier: field(7),
      receiverId: field(8),
      date: field(9),
      time: field(10),
      standardsIdOrRepetition: field(11),
      version: field(12),
      controlNumber: field(13),
      ackRequested: field(14),
      usage: field(15),
      delimiters: view.delimiters,
    };
    const result: InterchangeResult = {
      header,
      filePosition: view.filePosition,
      byteOffset: view.byteOffset,
      byteEnd: view.byteOffset + (view.end - view.start),
      groups: [],
      receivedTa1: [],
      trailerFound: false,
      ta1Code: '000',
      accepted: true,
      issues: this.headerWarnings,
    };
    this.headerWarnings = [];
    this.interchange = result;
    this.groupControls.clear();
    // The messages are only composed for a check that fails: a clean header allocates nothing more.
    const fail = (elementIndex: number, ta1: string, message: string): void => {
      result.issues.push(
        this.problem('ISA_INVALID', message, {
          segment: 'ISA',
          segmentPosition: view.filePosition,
          elementIndex,
        }),
      );
      this.rejectInterchange(ta1);
    };
    if (e.length !== 17) fail(16, '024', `the ISA has ${e.length - 1} elements instead of 16`);
    if (!/^\d{9}$/.test(header.controlNumber)) fail(13, '018', 'ISA13 must be a 9-digit control number');
    if (!/^\d{5}$/.test(header.version)) fail(12, '017', 'ISA12 must be a 5-digit version');
    if (header.date !== this.lastGoodDate) {
      if (/^\d{6}$/.test(header.date) && validDate(`20${header.date}`)) this.lastGoodDate = header.date;
      else fail(9, '014', 'ISA09 must be a YYMMDD date');
    }
    if (header.time !== this.lastGoodTime) {
      if (/^\d{4}$/.test(header.time) && validTime(header.time)) this.lastGoodTime = header.time;
      else fail(10, '015', 'ISA10 must be an HHMM time');
    }
    if (header.ackRequested !== '0' && header.ackRequested !== '1') fail(14, '019', 'ISA14 must be 0 or 1');
    if (header.usage !== 'P' && header.usage !== 'T' && header.usage !== 'I')
      fail(15, '020', 'ISA15 must be P, T or I');
    if (!(header.senderId.length > 0 && header.senderQualifier.length === 2))
      fail(5, '005', 'ISA05/ISA06 must name the sender');
    if (!(header.receiverId.length > 0 && header.receiverQualifier.length === 2))
      fail(7, '007', 'ISA07/ISA08 must name the receiver');
    if (e.length === 17) {
      let narrow = -1;
      for (let i = 0; i < ISA_WIDTHS.length; i++) {
        if (e[i + 1].length !== ISA_WIDTHS[i]) {
          narrow = i;
          break;
        }
      }
      if (narrow !== -1) {
        fail(
          narrow + 1,
          narrow + 1 === 6 ? '006' : narrow + 1 === 8 ? '008' : '024',
          `ISA${String(narrow + 1).padStart(2, '0')} must be exactly ${ISA_WIDTHS[narrow]} characters (ISA fields are fixed width)`,
        );
      }
    }
  }

  private closeInterchange(view: SegmentView, e: string[]): void {
    const ic = this.interchange;
    if (!ic) return this.stray(view, 'IEA');
    if (this.set) this.abortSet('IEA', view.filePosition);
    if (this.group) this.abortGroup(view.filePosition);
    ic.trailerFound = true;
    ic.byteEnd = view.byteOffset + (view.end - view.start);
    const place = { segment: 'IEA', segmentPosition: view.filePosition };
    if (asNumber(e[1]) !== ic.groups.length) {
      ic.issues.push(
        this.problem('IEA01_MISMATCH', `IEA01 says ${e[1] ?? ''} groups but ${ic.groups.length} were found`, {
          ...place,
          elementIndex: 1,
        }),
      );
      this.rejectInterchange('021');
    }
    if (asNumber(e[2]) !== asNumber(ic.header.controlNumber)) {
      ic.issues.push(
        this.problem(
          'IEA02_MISMATCH',
          `IEA02 ${e[2] ?? ''} does not match ISA13 ${ic.header.controlNumber}`,
          { ...place, elementIndex: 2 },
        ),
      );
      this.rejectInterchange('001');
    }
    this.endInterchange();
  }

  private endInterchange(): void {
    const ic = this.interchange!;
    if (this.set) this.abortSet('end of file', 0);
    if (this.group) this.abortGroup(0);
    for (const group of ic.groups) {
      for (const set of group.sets) {
        if (ic.accepted && group.verdict !== 'R' && set.verdict !== 'R') this.current.setsAccepted++;
        else this.current.setsRejected++;
      }
    }
    this.current.interchanges.push(ic);
    this.interchange = null;
    this.options.onInterchangeClosed?.(ic);
  }

  private openGroup(view: SegmentView, e: string[]): void {
    if (!this.interchange) return this.stray(view, 'GS');
    if (this.set) this.abortSet('GS', view.filePosition);
    if (this.group) this.abortGroup(view.filePosition);
    const header: GroupHeader = {
      functionalId: e[1] ?? '',
      applicationSender: e[2] ?? '',
      applicationReceiver: e[3] ?? '',
      date: e[4] ?? '',
      time: e[5] ?? '',
      controlNumber: e[6] ?? '',
      agency: e[7] ?? '',
      version: e[8] ?? '',
    };
    const group: GroupResult = {
      header,
      filePosition: view.filePosition,
      sets: [],
      groupCodes: [],
      trailerFound: false,
      verdict: 'A',
      issues: [],
    };
    this.group = group;
    this.setControls.clear();
    const place = { segment: 'GS', segmentPosition: view.filePosition };
    if (!/^\d{1,9}$/.test(header.controlNumber)) {
      group.issues.push(
        this.problem('GS06_INVALID', 'GS06 must be a control number of 1 to 9 digits', {
          ...place,
          elementIndex: 6,
        }),
      );
      group.groupCodes.push('6');
    }
    if (e.length !== 9) {
      group.issues.push(
        this.problem('GS_ELEMENT_COUNT', `the GS has ${e.length - 1} elements instead of 8`, {
          ...place,
          elementIndex: e.length - 1,
        }),
      );
      group.groupCodes.push('24');
    }
    if (!/^\d{6}/.test(header.version)) {
      group.issues.push(
        this.problem('GS08_INVALID', 'GS08 must start with a 6-digit version', { ...place, elementIndex: 8 }),
      );
      group.groupCodes.push('2');
    } else if (header.version.slice(0, 3) !== this.interchange.header.version.slice(0, 3)) {
      group.issues.push(
        this.problem(
          'GS08_ISA12_MISMATCH',
          `GS08 ${header.version} is not in the major version of ISA12 ${this.interchange.header.version}`,
          { ...place, elementIndex: 8 },
          'warning',
        ),
      );
    }
    const control = String(asNumber(header.controlNumber));
    if (this.groupControls.has(control)) {
      const action = this.options.duplicateGroupAction ?? 'reject';
      if (action !== 'accept') {
        group.issues.push(
          this.problem(
            'DUPLICATE_GROUP_CONTROL',
            `GS06 ${header.controlNumber} is used twice in this interchange`,
            { ...place, elementIndex: 6 },
            action === 'reject' ? 'error' : 'warning',
          ),
        );
      }
      if (action === 'reject') group.groupCodes.push('19');
    }
    this.groupControls.add(control);
  }

  private closeGroup(view: SegmentView, e: string[]): void {
    const group = this.group;
    if (!group) return this.stray(view, 'GE');
    if (this.set) this.abortSet('GE', view.filePosition);
    group.trailerFound = true;
    const place = { segment: 'GE', segmentPosition: view.filePosition };
    if (asNumber(e[1]) !== group.sets.length) {
      group.issues.push(
        this.problem('GE01_MISMATCH', `GE01 says ${e[1] ?? ''} sets but ${group.sets.length} were found`, {
          ...place,
          elementIndex: 1,
        }),
      );
      group.groupCodes.push('5');
    }
    if (asNumber(e[2]) !== asNumber(group.header.controlNumber)) {
      group.issues.push(
        this.problem(
          'GE02_MISMATCH',
          `GE02 ${e[2] ?? ''} does not match GS06 ${group.header.controlNumber}`,
          { ...place, elementIndex: 2 },
        ),
      );
      group.groupCodes.push('4');
    }
    this.endGroup();
  }

  private abortGroup(position: number): void {
    const group = this.group!;
    group.issues.push(
      this.problem(
        'GROUP_TRAILER_MISSING',
        `functional group ${group.header.controlNumber} has no GE trailer`,
        {
          segment: 'GS',
          segmentPosition: position || group.filePosition,
        },
      ),
    );
    group.groupCodes.push('3');
    this.endGroup();
  }

  private endGroup(): void {
    const group = this.group!;
    group.verdict = groupVerdict(group);
    this.interchange!.groups.push(group);
    this.group = null;
  }

  private openSet(view: SegmentView): void {
    // ST01…ST03 straight from the bytes; the whole segment is decoded only for whoever needs it.
    let decoded: string[] | null = null;
    const all = (): string[] => (decoded ??= elementsOf(view));
    const head = stFields(view) ?? all();
    if (this.set) this.abortSet('ST', view.filePosition);
    if (!this.group) {
      if (!this.interchange) return this.stray(view, 'ST');
      // Keep the set countable: it goes into a group that is rejected for its missing header.
      this.openGroup({ ...view }, ['GS', '', '', '', '', '', '', '', this.interchange.header.version + '0']);
      const group = this.group as GroupResult | null;
      if (!group) return;
      group.issues.push(
        this.problem('GROUP_HEADER_MISSING', 'a transaction set starts outside any GS/GE group', {
          segment: 'ST',
          segmentPosition: view.filePosition,
        }),
      );
    }
    const group = this.group!;
    const ic = this.interchange!;
    this.current.setsFound++;
    const setId = head[1] ?? '';
    const controlNumber = head[2] ?? '';
    const result: SetResult = {
      setId,
      controlNumber,
      implementationRef: head[3] || undefined,
      filePosition: view.filePosition,
      byteOffset: view.byteOffset,
      byteEnd: view.byteOffset + (view.end - view.start),
      segmentCount: 1,
      errors: [],
      setCodes: [],
      verdict: 'A',
      issues: [],
    };
    const context: SetContext = {
      interchange: ic.header,
      group: group.header,
      setId,
      controlNumber,
      implementationRef: result.implementationRef,
      key: `${ic.header.controlNumber}/${group.header.controlNumber}/${controlNumber}`,
    };
    const place = { segment: 'ST', segmentPosition: view.filePosition };
    if (!/^[0-9]{3}$/.test(setId)) {
      result.issues.push(
        this.problem('ST01_INVALID', 'ST01 must be a 3-digit transaction set id', {
          ...place,
          elementIndex: 1,
        }),
      );
      result.setCodes.push('6');
    }
    if (!/^[0-9A-Za-z]{4,9}$/.test(controlNumber)) {
      result.issues.push(
        this.problem('ST02_INVALID', 'ST02 must be a control number of 4 to 9 characters', {
          ...place,
          elementIndex: 2,
        }),
      );
      result.setCodes.push('7');
    }
    if (this.setControls.has(controlNumber)) {
      const action = this.options.duplicateSetAction ?? 'reject';
      if (action !== 'accept') {
        result.issues.push(
          this.problem(
            'DUPLICATE_SET_CONTROL',
            `ST02 ${controlNumber} is used twice in this group`,
            { ...place, elementIndex: 2 },
            action === 'reject' ? 'error' : 'warning',
          ),
        );
      }
      if (action === 'reject') result.setCodes.push('23');
      if (action === 'warn') result.verdict = 'E';
    }
    this.setControls.add(controlNumber);
    const validator = this.options.validators
      ? this.options.validators.create({
          setId,
          version: group.header.version,
          implementationRef: result.implementationRef,
          functionalId: group.header.functionalId,
          componentSeparator: String.fromCharCode(ic.header.delimiters.component),
          repetitionSeparator:
            ic.header.delimiters.repetition === undefined
              ? undefined
              : String.fromCharCode(ic.header.delimiters.repetition),
        })
      : null;
    if (this.options.validators && !validator) {
      result.issues.push(
        this.problem(
          'SET_NOT_SUPPORTED',
          `no implementation guide for set ${setId} version ${group.header.version}`,
          { ...place, elementIndex: 1 },
        ),
      );
      result.setCodes.push('1');
    }
    if (validator?.segmentView) validator.segmentView(view, 1);
    else validator?.segment('ST', all(), 1);
    const observer = this.options.observe?.(context) ?? null;
    observer?.segment('ST', all(), 1);
    this.set = { context, result, validator, observer, observedKeys: observedKeysOf(observer), count: 1 };
  }

  private closeSet(view: SegmentView, e: string[]): void {
    const open = this.set;
    if (!open) return this.stray(view, 'SE');
    open.count++;
    const { result } = open;
    open.validator?.segment('SE', e, open.count);
    open.observer?.segment('SE', e, open.count);
    result.byteEnd = view.byteOffset + (view.end - view.start);
    const place = { segment: 'SE', segmentPosition: view.filePosition };
    if (asNumber(e[1]) !== open.count) {
      result.issues.push(
        this.problem('SE01_MISMATCH', `SE01 says ${e[1] ?? ''} segments but ${open.count} were found`, {
          ...place,
          elementIndex: 1,
        }),
      );
      result.setCodes.push('4');
    }
    if ((e[2] ?? '').trim() !== result.controlNumber) {
      result.issues.push(
        this.problem('SE02_MISMATCH', `SE02 ${e[2] ?? ''} does not match ST02 ${result.controlNumber}`, {
          ...place,
          elementIndex: 2,
        }),
      );
      result.setCodes.push('3');
    }
    this.endSet();
  }

  private abortSet(before: string, position: number): void {
    const { result } = this.set!;
    result.issues.push(
      this.problem(
        'SET_TRAILER_MISSING',
        `set ${result.setId} ${result.controlNumber} has no SE trailer before ${before}`,
        {
          segment: 'ST',
          segmentPosition: position || result.filePosition,
        },
      ),
    );
    result.setCodes.push('2');
    this.endSet();
  }

  private endSet(): void {
    const open = this.set!;
    const { result } = open;
    result.segmentCount = open.count;
    if (open.validator) {
      const errors = open.validator.finish();
      result.errors = errors.slice(0, this.maxErrors);
      for (const error of result.errors) {
        const first = error.elements[0];
        result.issues.push(
          this.problem(
            first ? `ELEMENT_${first.code}` : `SEGMENT_${error.code}`,
            first
              ? `${error.segmentId}${String(first.position).padStart(2, '0')}: ${first.message}`
              : error.message,
            {
              segment: error.segmentId,
              segmentPosition: result.filePosition + error.position - 1,
              elementIndex: first?.position,
              componentIndex: first?.component,
            },
          ),
        );
      }
      if (errors.length > this.maxErrors) {
        result.issues.push(
          this.problem('MORE_ERRORS', `${errors.length - this.maxErrors} more segment errors`, {
            segment: result.setId,
            segmentPosition: result.filePosition,
          }),
        );
      }
      if (result.errors.length > 0 && !result.setCodes.includes('5')) result.setCodes.push('5');
      this.options.validators?.release?.(open.validator);
    }
    if (result.setCodes.length > 0) result.verdict = 'R';
    this.group!.sets.push(result);
    this.set = null;
    this.options.onSetClosed?.(open.context, result);
  }
}

/** Widths of ISA01…ISA16 (the ISA is fixed width). */
const ISA_WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];

function emptySummary(): ScanSummary {
  return {
    interchanges: [],
    fileIssues: [],
    setsFound: 0,
    setsAccepted: 0,
    setsRejected: 0,
    segments: 0,
    bytes: 0,
  };
}

function groupVerdict(group: GroupResult): GroupVerdict {
  if (group.groupCodes.length > 0) return 'R';
  if (group.sets.length === 0) return 'A';
  const rejected = group.sets.filter((s) => s.verdict === 'R').length;
  if (rejected === group.sets.length) return 'R';
  if (rejected > 0) return 'P';
  return group.sets.some((s) => s.verdict === 'E') ? 'E' : 'A';
}

export function validDate(ccyymmdd: string): boolean {
  if (!/^\d{8}$/.test(ccyymmdd)) return false;
  const y = Number(ccyymmdd.slice(0, 4));
  const m = Number(ccyymmdd.slice(4, 6));
  const d = Number(ccyymmdd.slice(6, 8));
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [
    31,
    y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return d <= days[m - 1];
}

export function validTime(value: string): boolean {
  if (!/^\d{4}(\d{2}(\d{1,2})?)?$/.test(value)) return false;
  return (
    Number(value.slice(0, 2)) < 24 &&
    Number(value.slice(2, 4)) < 60 &&
    (value.length < 6 || Number(value.slice(4, 6)) < 60)
  );
}

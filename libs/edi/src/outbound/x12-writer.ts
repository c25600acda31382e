import { InputError, type InputIssue } from '@crossdock/domain';
import { X12DocumentScanner } from '../gateway/scan-file';
import type { ScanSummary } from '../envelope/envelope.types';
import type { SetValidatorFactory } from '../validation/set-validator.port';

/** Delimiters used when writing, as characters. */
export interface OutboundDelimiters {
  element: string;
  component: string;
  repetition?: string;
  segment: string;
  /** Adds a line break after each terminator, for partners who want readable files. */
  lineBreak?: boolean;
}

export const STANDARD_OUTBOUND_DELIMITERS: OutboundDelimiters = {
  element: '*',
  component: '>',
  repetition: '^',
  segment: '~',
  lineBreak: true,
};

/** One element: a simple value, or components for a composite. */
export type ElementValue = string | number | undefined | readonly (string | number | undefined)[];

/** A segment to write: its id followed by its elements (element 1 first). */
export type SegmentData = readonly [string, ...ElementValue[]];

export interface OutboundSet {
  setId: string;
  /** ST03 implementation convention reference (5010). */
  implementationRef?: string;
  /** The body between ST and SE. */
  segments: readonly SegmentData[];
}

export interface OutboundGroup {
  functionalId: string;
  applicationSender: string;
  applicationReceiver: string;
  version: string;
  controlNumber: number;
  /** First ST02 to use; the set control numbers run on from it unless `setControls` lists them. */
  firstSetControl: number;
  setControls?: readonly number[];
  sets: readonly OutboundSet[];
}

export interface OutboundInterchange {
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  /** ISA12, e.g. `00401` or `00501`. */
  controlVersion: string;
  controlNumber: number;
  ackRequested: boolean;
  usage: 'P' | 'T';
  date: Date;
  delimiters: OutboundDelimiters;
  /** Segments between ISA and the first GS (TA1). */
  leading?: readonly SegmentData[];
  groups: readonly OutboundGroup[];
}

const pad = (value: string, width: number): string => value.padEnd(width, ' ').slice(0, width);
const digits = (value: number, width: number): string => String(value).padStart(width, '0');

function yymmdd(date: Date): string {
  return `${digits(date.getUTCFullYear() % 100, 2)}${digits(date.getUTCMonth() + 1, 2)}${digits(date.getUTCDate(), 2)}`;
}
function ccyymmdd(date: Date): string {
  return `${date.getUTCFullYear()}${yymmdd(date).slice(2)}`;
}
function hhmm(date: Date): string {
  return `${digits(date.getUTCHours(), 2)}${digits(date.getUTCMinutes(), 2)}`;
}

/**
 * Writes interchanges. Data that contains one of the partner's delimiters is refused (X12 has no
 * escape), naming the segment and element; the written text is scanned and validated again before
 * it is returned, so nothing malformed leaves.
 */
export class X12Writer {
  /** Re-reads what is written; one scanner and reader serve every interchange this writer writes. */
  private readonly checker: X12DocumentScanner;

  constructor(validators?: SetValidatorFactory) {
    this.checker = new X12DocumentScanner({ source: 'outbound', validators });
  }

  /** ISA templates per partner ids, control version and delimiters (see `isaTemplate`). */
  private readonly isaTemplates = new Map<string, IsaTemplate>();
  /** The template used last and what it was for: a run of acks to one partner skips the lookup. */
  private lastTemplate: {
    senderQualifier: string;
    senderId: string;
    receiverQualifier: string;
    receiverId: string;
    controlVersion: string;
    delimiters: string;
    template: IsaTemplate;
  } | null = null;
  /** Date and time fields of the last minute written (a run of acks shares them). */
  private stamp = { minute: NaN, yymmdd: '', ccyymmdd: '', hhmm: '' };
  /** The last delimiters found valid, as one string. */
  private checkedDelimiters = '';

  write(interchange: OutboundInterchange): string {
    const d = interchange.delimiters;
    const delimiterKey = `${d.element}${d.component}${d.segment}${d.repetition ?? ''}`;
    if (delimiterKey !== this.checkedDelimiters) {
      checkDelimiters(d);
      this.checkedDelimiters = delimiterKey;
    }
    const issues: InputIssue[] = [];
    const out: string[] = [];
    const terminator = d.segment + (d.lineBreak && d.segment !== '\n' ? '\n' : '');
    const emit = (segment: SegmentData, setPosition?: number): void => {
      out.push(formatSegment(segment, d, issues, setPosition) + terminator);
    };
    const template = this.isaTemplate(interchange, d);
    const stamp = this.stampOf(interchange.date);
    if (template.issues.length > 0) issues.push(...template.issues);
    // Only the date, time, control number, ack flag and usage change from one interchange to the next.
    out.push(
      template.head +
        stamp.yymmdd +
        d.element +
        stamp.hhmm +
        template.middle +
        digits(interchange.controlNumber, 9) +
        d.element +
        (interchange.ackRequested ? '1' : '0') +
        d.element +
        interchange.usage +
        template.tail +
        terminator,
    );
    for (const segment of interchange.leading ?? []) emit(segment);
    for (const group of interchange.groups) {
      emit([
        'GS',
        group.functionalId,
        group.applicationSender,
        group.applicationReceiver,
        stamp.ccyymmdd,
        stamp.hhmm,
        String(group.controlNumber),
        'X',
        group.version,
      ]);
      group.sets.forEach((set, index) => {
        const control = digits(group.setControls?.[index] ?? group.firstSetControl + index, 4);
        emit(
          set.implementationRef
            ? ['ST', set.setId, control, set.implementationRef]
            : ['ST', set.setId, control],
          1,
        );
        set.segments.forEach((segment, i) => emit(segment, i + 2));
        emit(['SE', String(set.segments.length + 2), control], set.segments.length + 2);
      });
      emit(['GE', String(group.sets.length), String(group.controlNumber)]);
    }
    emit(['IEA', String(interchange.groups.length), digits(interchange.controlNumber, 9)]);
    if (issues.length > 0) throw new InputError(issues);
    const text = out.join('');
    this.verify(text);
    return text;
  }

  private stampOf(date: Date): { yymmdd: string; ccyymmdd: string; hhmm: string } {
    const minute = Math.floor(date.getTime() / 60_000);
    if (minute !== this.stamp.minute) {
      this.stamp = { minute, yymmdd: yymmdd(date), ccyymmdd: ccyymmdd(date), hhmm: hhmm(date) };
    }
    return this.stamp;
  }

  /**
   * The fixed parts of an ISA for these ids, control version and delimiters: ISA01…ISA08 (`head`),
   * ISA11 and ISA12 (`middle`) and ISA16 (`tail`), with the delimiter check of those fields done
   * once. The variable fields (date, time, ISA13…ISA15) are digits or letters and need no check.
   */
  private isaTemplate(interchange: OutboundInterchange, d: OutboundDelimiters): IsaTemplate {
    const last = this.lastTemplate;
    if (
      last !== null &&
      last.senderQualifier === interchange.senderQualifier &&
      last.senderId === interchange.senderId &&
      last.receiverQualifier === interchange.receiverQualifier &&
      last.receiverId === interchange.receiverId &&
      last.controlVersion === interchange.controlVersion &&
      last.delimiters === this.checkedDelimiters
    )
      return last.template;
    const template = this.isaTemplateFor(interchange, d);
    this.lastTemplate = {
      senderQualifier: interchange.senderQualifier,
      senderId: interchange.senderId,
      receiverQualifier: interchange.receiverQualifier,
      receiverId: interchange.receiverId,
      controlVersion: interchange.controlVersion,
      delimiters: this.checkedDelimiters,
      template,
    };
    return template;
  }

  private isaTemplateFor(interchange: OutboundInterchange, d: OutboundDelimiters): IsaTemplate {
    const key = `${interchange.senderQualifier}\u0000${interchange.senderId}\u0000${interchange.receiverQualifier}\u0000${interchange.receiverId}\u0000${interchange.controlVersion}\u0000${d.element}${d.component}${d.segment}${d.repetition ?? ''}`;
    let template = this.isaTemplates.get(key);
    if (template) return template;
    const repetition = interchange.controlVersion >= '00402' ? (d.repetition ?? 'U') : 'U';
    const fields = [
      '00',
      pad('', 10),
      '00',
      pad('', 10),
      pad(interchange.senderQualifier, 2),
      pad(interchange.senderId, 15),
      pad(interchange.receiverQualifier, 2),
      pad(interchange.receiverId, 15),
      '',
      '',
      repetition,
      interchange.controlVersion,
    ];
    const issues: InputIssue[] = [];
    fields.forEach((value, i) => {
      if (value.includes(d.element) || value.includes(d.segment) || value.includes(d.component))
        issues.push(delimiterIssue('ISA', i + 1));
    });
    template = {
      head: ['ISA', ...fields.slice(0, 8), ''].join(d.element),
      middle: ['', repetition, interchange.controlVersion, ''].join(d.element),
      tail: d.element + d.component,
      issues,
    };
    // A writer serves a bounded set of partners; the cap only guards against unbounded growth.
    if (this.isaTemplates.size >= 1000) this.isaTemplates.clear();
    this.isaTemplates.set(key, template);
    return template;
  }

  /** Scans and validates written text; throws with every issue when it would not be accepted. */
  verify(text: string): ScanSummary {
    const summary = this.checker.scan(Buffer.from(text, 'utf8'));
    if (summary.setsRejected === 0 && !holdsError(summary)) return summary;
    const problems: InputIssue[] = [
      ...summary.fileIssues,
      ...summary.interchanges.flatMap((ic) => [
        ...ic.issues,
        ...ic.groups.flatMap((g) => [...g.issues, ...g.sets.flatMap((s) => s.issues)]),
      ]),
    ].filter((issue) => issue.severity === 'error');
    if (problems.length > 0 || summary.setsRejected > 0) {
      throw new InputError(
        problems.length > 0
          ? problems
          : [
              {
                code: 'OUTBOUND_REJECTED',
                message: 'the written interchange does not pass its own checks',
                place: { source: 'outbound' },
                severity: 'error',
              },
            ],
      );
    }
    return summary;
  }
}

/** Whether any issue of the scan is an error (without collecting them). */
function holdsError(summary: ScanSummary): boolean {
  const isError = (issue: InputIssue): boolean => issue.severity === 'error';
  if (summary.fileIssues.some(isError)) return true;
  for (const ic of summary.interchanges) {
    if (ic.issues.some(isError)) return true;
    for (const g of ic.groups) {
      if (g.issues.some(isError)) return true;
      for (const set of g.sets) if (set.issues.some(isError)) return true;
    }
  }
  return false;
}

interface IsaTemplate {
  head: string;
  middle: string;
  tail: string;
  issues: InputIssue[];
}

function checkDelimiters(d: OutboundDelimiters): void {
  const all = [d.element, d.component, d.segment, ...(d.repetition ? [d.repetition] : [])];
  const bad = all.some((c) => c.length !== 1 || /[A-Za-z0-9 ]/.test(c)) || new Set(all).size !== all.length;
  if (bad) {
    throw new InputError([
      {
        code: 'BAD_DELIMITERS',
        message:
          'outbound delimiters must be distinct single characters that are not letters, digits or space',
        place: { field: 'outboundDelimiters' },
        severity: 'error',
      },
    ]);
  }
}

function delimiterIssue(
  segment: string,
  elementIndex: number,
  setPosition?: number,
  componentIndex?: number,
): InputIssue {
  return {
    code: 'DELIMITER_IN_DATA',
    message: `the value of ${segment}${String(elementIndex).padStart(2, '0')} contains a delimiter of this partner; X12 cannot escape it`,
    place: { segment, segmentPosition: setPosition, elementIndex, componentIndex },
    severity: 'error',
  };
}

/** True when the text holds a delimiter, CR or LF (X12 has no escape for them). */
function holdsForbidden(text: string, d: OutboundDelimiters): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (
      c === d.element ||
      c === d.component ||
      c === d.segment ||
      c === d.repetition ||
      c === '\r' ||
      c === '\n'
    )
      return true;
  }
  return false;
}

function formatSegment(
  segment: SegmentData,
  d: OutboundDelimiters,
  issues: InputIssue[],
  setPosition?: number,
): string {
  const id = segment[0];
  let out = id;
  // Empty trailing elements are dropped: separators are added only when a later value appears.
  let pendingSeparators = '';
  for (let i = 1; i < segment.length; i++) {
    const value = segment[i];
    let text: string;
    if (Array.isArray(value)) {
      const comps = value as readonly (string | number | undefined)[];
      text = '';
      let pendingComponents = '';
      for (let k = 0; k < comps.length; k++) {
        const part = comps[k] === undefined ? '' : String(comps[k]);
        if (holdsForbidden(part, d)) issues.push(delimiterIssue(id, i, setPosition, k + 1));
        const separator = k === 0 ? '' : d.component;
        if (part === '') {
          pendingComponents += separator;
          continue;
        }
        text += pendingComponents + separator + part;
        pendingComponents = '';
      }
    } else {
      text = value === undefined ? '' : String(value);
      if (holdsForbidden(text, d)) issues.push(delimiterIssue(id, i, setPosition));
    }
    if (text === '') {
      pendingSeparators += d.element;
      continue;
    }
    out += pendingSeparators + d.element + text;
    pendingSeparators = '';
  }
  return out;
}

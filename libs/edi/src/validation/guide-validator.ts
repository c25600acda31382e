import type { ElementError, SegmentError } from '../envelope/envelope.types';
import { validDate, validTime } from '../envelope/interchange-reader';
import {
  compileGuide,
  guideVersionFor,
  isDictionarySegment,
  type CompiledGuide,
  type ElementRule,
  type GuideOverride,
  type LoopNode,
  type SegmentRule,
  type SyntaxRule,
} from '../guides/guide';
import { elementsOf, type SegmentView } from '../scanner/x12-scanner';
import { PresenceMarks, segmentBytesValid, segmentKeyOf, segmentKeyOfBytes } from './byte-check';
import type { SetValidationContext, SetValidator, SetValidatorFactory } from './set-validator.port';

interface Frame {
  node: LoopNode;
  index: number;
  counts: Int32Array;
}

const SEGMENT_ID = /^[A-Z][A-Z0-9]{1,2}$/;
const REAL = /^-?(\d+(\.\d*)?|\.\d+)$/;
const INTEGER = /^-?\d+$/;

export interface GuideValidatorOptions {
  componentSeparator?: string;
  repetitionSeparator?: string;
  /** Errors kept per set (default 100); later ones are dropped, the set is rejected all the same. */
  maxErrors?: number;
}

/**
 * Walks one transaction set against its compiled guide as segments arrive: loop entry and exit,
 * segment order and repeats, mandatory segments, then each element's presence, length, type, code
 * list and the segment's syntax notes.
 */
export class GuideValidator implements SetValidator {
  private readonly stack: Frame[];
  /** The set's own frame (the bottom of the stack). */
  private readonly root: Frame;
  private errors: SegmentError[] = [];
  /** The factory that may take this validator back, and whether it holds it now (see `release`). */
  owner: GuideValidatorFactory | null = null;
  pooled = false;
  private readonly maxErrors: number;
  /** Element errors of the segment being checked; reused to spare an allocation per segment. */
  private readonly found: ElementError[] = [];
  private readonly report = (error: ElementError): void => {
    this.found.push(error);
  };

  private readonly component: number;
  private readonly repetition: number;
  /** Frames of closed loops, reused when the loop opens again (a loop per line item, thousands per set). */
  private readonly spare: (Frame | undefined)[] = [];
  private readonly marks: PresenceMarks;

  constructor(
    private readonly guide: CompiledGuide,
    private readonly options: GuideValidatorOptions = {},
    marks?: PresenceMarks,
  ) {
    this.root = { node: guide.root, index: 0, counts: new Int32Array(guide.root.body.length) };
    this.stack = [this.root];
    this.maxErrors = options.maxErrors ?? 100;
    this.component = options.componentSeparator ? options.componentSeparator.charCodeAt(0) : -1;
    this.repetition = options.repetitionSeparator ? options.repetitionSeparator.charCodeAt(0) : -1;
    this.marks = marks ?? new PresenceMarks();
  }

  guideOf(): CompiledGuide {
    return this.guide;
  }

  /** Whether the validator checks sets of this guide with these separators. */
  serves(guide: CompiledGuide, componentSeparator?: string, repetitionSeparator?: string): boolean {
    return (
      this.guide === guide &&
      this.options.componentSeparator === componentSeparator &&
      this.options.repetitionSeparator === repetitionSeparator
    );
  }

  /** Makes the validator ready for another set of the same guide and separators. */
  reset(): void {
    const root = this.root;
    this.stack.length = 0;
    this.stack.push(root);
    this.spare[root.node.ordinal] = undefined;
    root.index = 0;
    root.counts.fill(0);
    // The errors `finish` returned stay the caller's.
    if (this.errors.length > 0) this.errors = [];
  }

  segment(id: string, elements: readonly string[], position: number): void {
    const rule = this.locate(segmentKeyOf(id), id, position);
    if (rule) this.checkElements(rule, elements, position);
  }

  /**
   * The same check on a segment still in the scanned bytes: a clean segment is never decoded; one
   * the byte check cannot vouch for goes through the string checks, which word its errors.
   */
  segmentView(view: SegmentView, position: number): void {
    const { buffer, start, end } = view;
    const separator = view.delimiters.element;
    const rule = this.locate(segmentKeyOfBytes(buffer, start, end, separator), view, position);
    if (
      rule &&
      !segmentBytesValid(
        rule.bytes,
        buffer,
        start,
        end,
        separator,
        this.component,
        this.repetition,
        this.marks,
      )
    ) {
      this.checkElements(rule, elementsOf(view), position);
    }
  }

  /**
   * Moves through the structure to the segment (closing and opening loops, counting repeats and
   * missing mandatory segments); returns the rule to check its elements against, if any.
   */
  private locate(key: number, segment: string | SegmentView, position: number): SegmentRule | undefined {
    const ordinal = this.guide.ordinals.get(key);
    for (let depth = ordinal === undefined ? -1 : this.stack.length - 1; depth >= 0; depth--) {
      const frame = this.stack[depth];
      const candidates = frame.node.slots[ordinal!];
      if (!candidates) continue;
      const start = depth === 0 ? frame.index : Math.max(frame.index, 1);
      let i = -1;
      for (const candidate of candidates) {
        if (candidate >= start) {
          i = candidate;
          break;
        }
      }
      if (i === -1) continue;
      const child = frame.node.body[i];
      this.closeAbove(depth, position);
      this.missingBetween(frame, i, position);
      frame.index = i;
      if (child.kind === 'segment') {
        if (++frame.counts[i] > child.max) {
          this.add({
            segmentId: child.id,
            position,
            code: '5',
            elements: [],
            message: `${child.id} is used more than ${child.max} times`,
          });
        }
        return child.rule;
      }
      if (++frame.counts[i] > child.max) {
        this.add({
          segmentId: triggerId(child),
          position,
          loopId: child.id,
          code: '4',
          elements: [],
          message: `loop ${child.id} occurs more than ${child.max} times`,
        });
      }
      return this.enter(child);
    }
    const id = typeof segment === 'string' ? segment : elementsOf(segment)[0];
    const code = this.guide.ids.has(id)
      ? '7'
      : SEGMENT_ID.test(id)
        ? isDictionarySegment(id)
          ? '2'
          : '6'
        : '1';
    const why =
      code === '7'
        ? `${id} is not in its proper place in set ${this.guide.setId}`
        : code === '1'
          ? 'the segment id is not recognised'
          : `${id} is not defined in set ${this.guide.setId}`;
    this.add({ segmentId: id.slice(0, 3), position, code, elements: [], message: why });
    return undefined;
  }

  /** Opens a loop on its trigger segment (a loop may start with a nested loop); returns the trigger's rule. */
  private enter(loop: LoopNode): SegmentRule | undefined {
    const frame = this.spare[loop.ordinal];
    if (frame) {
      this.spare[loop.ordinal] = undefined;
      frame.index = 0;
      frame.counts.fill(0);
      frame.counts[0] = 1;
      this.stack.push(frame);
    } else {
      const counts = new Int32Array(loop.body.length);
      counts[0] = 1;
      this.stack.push({ node: loop, index: 0, counts });
    }
    const first = loop.body[0];
    return first.kind === 'loop' ? this.enter(first) : first.rule;
  }

  finish(): SegmentError[] {
    this.closeAbove(-1, 0);
    return this.errors;
  }

  private add(error: SegmentError): void {
    if (this.errors.length < this.maxErrors) this.errors.push(error);
  }

  private missingBetween(frame: Frame, upTo: number, position: number): void {
    for (const k of frame.node.mandatory) {
      if (k < frame.index) continue;
      if (k >= upTo) break;
      const node = frame.node.body[k];
      if (frame.counts[k] === 0)
        this.missing(
          node.kind === 'segment' ? node.id : triggerId(node),
          position,
          node.kind === 'loop' ? node.id : undefined,
        );
    }
  }

  private closeAbove(depth: number, position: number): void {
    while (this.stack.length - 1 > depth) {
      const frame = this.stack.pop()!;
      this.missingBetween(frame, frame.node.body.length, position);
      this.spare[frame.node.ordinal] = frame;
    }
  }

  private missing(id: string, position: number, loopId?: string): void {
    this.add({
      segmentId: id,
      position,
      loopId,
      code: '3',
      elements: [],
      message: `mandatory ${loopId ? `loop ${loopId}` : `segment ${id}`} is missing`,
    });
  }

  private checkElements(rule: SegmentRule, elements: readonly string[], position: number): void {
    const found = this.found;
    found.length = 0;
    const report = this.report;
    const defined = rule.elements.length;
    const rep = this.options.repetitionSeparator;
    for (let k = 1; k <= defined; k++) {
      const value = elements[k];
      const element = rule.elements[k - 1];
      if (value === undefined || value === '') {
        if (element.req === 'M')
          report({
            position: k,
            elementRef: element.ref,
            code: '1',
            message: `mandatory element ${element.ref} is missing`,
          });
        continue;
      }
      if (element.components) {
        const repeats = rep && value.includes(rep) ? value.split(rep) : [value];
        for (let r = 0; r < repeats.length; r++)
          this.checkComposite(element, repeats[r], k, report, repeats.length > 1 ? r + 1 : undefined);
        continue;
      }
      if (rep && value.includes(rep)) {
        const parts = value.split(rep);
        for (let r = 0; r < parts.length; r++) {
          if (parts[r] === '') continue;
          const code = checkValue(element, parts[r]);
          if (code)
            report({
              position: k,
              repeat: r + 1,
              elementRef: element.ref,
              code,
              badValue: cut(parts[r], element),
              message: describeCode(code, element),
            });
        }
        continue;
      }
      const code = checkValue(element, value);
      if (code)
        report({
          position: k,
          elementRef: element.ref,
          code,
          badValue: cut(value, element),
          message: describeCode(code, element),
        });
    }
    for (let k = defined + 1; k < elements.length; k++) {
      if (elements[k] !== '') {
        report({
          position: k,
          code: '3',
          message: `${rule.id} defines ${defined} elements; element ${k} is one too many`,
        });
        break;
      }
    }
    for (const note of rule.syntax) {
      const violation = checkSyntax(note, elements);
      if (violation) report(violation);
    }
    if (found.length > 0) {
      this.add({
        segmentId: rule.id,
        position,
        code: '8',
        elements: found.slice(0, 99),
        message: `${rule.id} has data element errors`,
      });
    }
  }

  private checkComposite(
    element: ElementRule,
    value: string,
    position: number,
    report: (error: ElementError) => void,
    repeat?: number,
  ): void {
    const separator = this.options.componentSeparator;
    const parts = separator ? value.split(separator) : [value];
    const components = element.components!;
    components.forEach((component, c) => {
      const part = parts[c] ?? '';
      if (part === '') {
        if (component.req === 'M' && value !== '')
          report({
            position,
            repeat,
            component: c + 1,
            elementRef: component.ref,
            code: '1',
            message: `mandatory component ${component.ref} is missing`,
          });
        return;
      }
      const code = checkValue(component, part);
      if (code)
        report({
          position,
          repeat,
          component: c + 1,
          elementRef: component.ref,
          code,
          badValue: cut(part, component),
          message: describeCode(code, component),
        });
    });
    for (let c = components.length; c < parts.length; c++) {
      if (parts[c] !== '') {
        report({
          position,
          repeat,
          component: c + 1,
          elementRef: element.ref,
          code: '13',
          message: `${element.ref} has more than ${components.length} components`,
        });
        break;
      }
    }
  }
}

function triggerId(loop: LoopNode): string {
  const first = loop.body[0];
  return first.kind === 'segment' ? first.id : triggerId(first);
}

function cut(value: string, element: ElementRule): string {
  return value.slice(0, Math.min(Math.max(element.max, 1), 99));
}

function isPresent(elements: readonly string[], position: number): boolean {
  const value = elements[position];
  return value !== undefined && value !== '';
}

function checkSyntax(note: SyntaxRule, elements: readonly string[]): ElementError | null {
  const positions = note.positions;
  switch (note.kind) {
    case 'P': {
      let present = 0;
      let firstMissing = -1;
      for (const p of positions) {
        if (isPresent(elements, p)) present++;
        else if (firstMissing === -1) firstMissing = p;
      }
      return present > 0 && present < positions.length
        ? {
            position: firstMissing,
            code: '2',
            message: `syntax ${note.text}: paired elements must appear together`,
          }
        : null;
    }
    case 'R':
      for (const p of positions) if (isPresent(elements, p)) return null;
      return {
        position: positions[0],
        code: '2',
        message: `syntax ${note.text}: at least one element is required`,
      };
    case 'C':
      if (!isPresent(elements, positions[0])) return null;
      for (let i = 1; i < positions.length; i++) {
        if (!isPresent(elements, positions[i]))
          return {
            position: positions[i],
            code: '2',
            message: `syntax ${note.text}: required when element ${positions[0]} is present`,
          };
      }
      return null;
    case 'L':
      if (!isPresent(elements, positions[0])) return null;
      for (let i = 1; i < positions.length; i++) if (isPresent(elements, positions[i])) return null;
      return {
        position: positions[1],
        code: '2',
        message: `syntax ${note.text}: one of the listed elements is required when element ${positions[0]} is present`,
      };
    case 'E': {
      let last = -1;
      let count = 0;
      for (const p of positions) {
        if (isPresent(elements, p)) {
          count++;
          last = p;
        }
      }
      return count > 1
        ? { position: last, code: '10', message: `syntax ${note.text}: only one of the elements may appear` }
        : null;
    }
  }
}

const CODE_TEXT: Record<string, string> = {
  '4': 'is shorter than its minimum length',
  '5': 'is longer than its maximum length',
  '6': 'holds a character or format its data type does not allow',
  '7': 'has a code value outside its list',
  '8': 'is not a calendar date',
  '9': 'is not a time',
};

function describeCode(code: string, element: ElementRule): string {
  const limits =
    code === '4' || code === '5'
      ? ` (${element.type} ${element.min}/${element.max})`
      : code === '6'
        ? ` (${element.type})`
        : '';
  return `element ${element.ref} ${CODE_TEXT[code] ?? `has error ${code}`}${limits}`;
}

function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function lengthCode(length: number, element: ElementRule): string | null {
  return length < element.min ? '4' : length > element.max ? '5' : null;
}

/** Returns the X12 element error code (AK403/IK403) for a present value, or null when it is valid. */
function checkValue(element: ElementRule, value: string): string | null {
  switch (element.type) {
    case 'AN':
      return hasControl(value) ? '6' : lengthCode(value.length, element);
    case 'ID':
      if (hasControl(value)) return '6';
      return lengthCode(value.length, element) ?? (element.codes && !element.codes.has(value) ? '7' : null);
    case 'DT':
      if (!/^\d+$/.test(value) || (value.length !== 6 && value.length !== 8)) return '8';
      if (!validDate(value.length === 6 ? `20${value}` : value)) return '8';
      return lengthCode(value.length, element);
    case 'TM':
      return validTime(value) ? lengthCode(value.length, element) : '9';
    case 'R': {
      if (!REAL.test(value)) return '6';
      let digits = 0;
      for (let i = 0; i < value.length; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x30 && c <= 0x39) digits++;
      }
      return lengthCode(digits, element);
    }
    case 'B':
      return null;
    default:
      if (!INTEGER.test(value)) return '6';
      return lengthCode(value.charCodeAt(0) === 0x2d ? value.length - 1 : value.length, element);
  }
}

const MAX_POOLED = 8;

/** Validators from the implementation guides, with optional overrides keyed by `setId` or `setId/version`. */
export class GuideValidatorFactory implements SetValidatorFactory {
  /** Guides compiled with this factory's overrides, once per set and version. */
  private readonly guides = new Map<string, CompiledGuide | null>();
  /** Scratch for the byte checks, shared: each check runs to completion before the next starts. */
  private readonly marks = new PresenceMarks();
  /** Finished validators ready for reuse, per guide. */
  private readonly pool = new Map<CompiledGuide, GuideValidator[]>();
  /** The guide of the last `create`, for a run of sets of one kind. */
  private lastSetId: string | null = null;
  private lastVersion: string | null = null;
  private lastGuide: CompiledGuide | null = null;

  constructor(
    private readonly overrides: Record<string, GuideOverride> = {},
    private readonly options: GuideValidatorOptions = {},
  ) {}

  create(context: SetValidationContext): SetValidator | null {
    let guide: CompiledGuide | null | undefined;
    if (context.setId === this.lastSetId && context.version === this.lastVersion) guide = this.lastGuide;
    else {
      const version = guideVersionFor(context.version, context.setId);
      if (!version) return null;
      const key = `${context.setId}/${version}`;
      guide = this.guides.get(key);
      if (guide === undefined) {
        guide = compileGuide(context.setId, version, this.overrides[key] ?? this.overrides[context.setId]);
        this.guides.set(key, guide);
      }
      this.lastSetId = context.setId;
      this.lastVersion = context.version;
      this.lastGuide = guide;
    }
    if (!guide) return null;
    const componentSeparator = context.componentSeparator ?? this.options.componentSeparator;
    const repetitionSeparator = context.repetitionSeparator ?? this.options.repetitionSeparator;
    const free = this.pool.get(guide);
    if (free) {
      for (let i = free.length - 1; i >= 0; i--) {
        const pooled = free[i];
        if (!pooled.serves(guide, componentSeparator, repetitionSeparator)) continue;
        free[i] = free[free.length - 1];
        free.pop();
        pooled.pooled = false;
        pooled.reset();
        return pooled;
      }
    }
    const validator = new GuideValidator(
      guide,
      { maxErrors: this.options.maxErrors, componentSeparator, repetitionSeparator },
      this.marks,
    );
    validator.owner = this;
    return validator;
  }

  /** Takes back a validator whose set is finished, to serve a later set of the same guide. */
  release(validator: SetValidator): void {
    // Only this factory's own validators, and each once until it is handed out again.
    if (!(validator instanceof GuideValidator) || validator.owner !== this || validator.pooled) return;
    let free = this.pool.get(validator.guideOf());
    if (!free) {
      free = [];
      this.pool.set(validator.guideOf(), free);
    }
    if (free.length < MAX_POOLED) {
      validator.pooled = true;
      free.push(validator);
    }
  }
}

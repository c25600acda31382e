import type { SegmentError } from '../envelope/envelope.types';
import type { SegmentView } from '../scanner/x12-scanner';

export interface SetValidationContext {
  setId: string;
  /** GS08 of the enclosing group, e.g. `004010VICS`. */
  version: string;
  implementationRef?: string;
  functionalId: string;
  componentSeparator?: string;
  repetitionSeparator?: string;
}

/** Checks one transaction set, segment by segment, so a set never has to be held in memory. */
export interface SetValidator {
  segment(id: string, elements: readonly string[], position: number): void;
  /** The same check on a segment still in the scanned bytes (valid only during the call), when supported. */
  segmentView?(view: SegmentView, position: number): void;
  /** Called once after SE (or when the set ends without one); returns every segment error. */
  finish(): SegmentError[];
}

export interface SetValidatorFactory {
  /** A validator for the set, or null when no implementation guide covers it. */
  create(context: SetValidationContext): SetValidator | null;
  /** Optional: takes back a validator after its `finish`, so a later `create` may reuse it. */
  release?(validator: SetValidator): void;
}

/** Receives the segments of each set as they are read (translation, archiving). */
export interface SetObserver {
  segment(id: string, elements: readonly string[], position: number): void;
  /**
   * The body segments the observer reads; others are not decoded for it. Without it, every
   * segment is passed. ST and SE are always passed.
   */
  readonly segmentIds?: ReadonlySet<string>;
}

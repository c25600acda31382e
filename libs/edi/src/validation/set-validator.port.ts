import type { SegmentError } from '../envelope/envelope.types';

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
  /** Called once after SE (or when the set ends without one); returns every segment error. */
  finish(): SegmentError[];
}

export interface SetValidatorFactory {
  /** A validator for the set, or null when no implementation guide covers it. */
  create(context: SetValidationContext): SetValidator | null;
}

/** Receives the segments of each set as they are read (translation, archiving). */
export interface SetObserver {
  segment(id: string, elements: readonly string[], position: number): void;
}

import type { InputIssue } from '@crossdock/domain';
import type { Delimiters } from '../scanner/delimiters';

/** One data element problem, reported as AK4/IK4. */
export interface ElementError {
  /** 1-based element position in the segment (AK401-1 / IK401-1). */
  position: number;
  component?: number;
  repeat?: number;
  /** Data element reference number from the guide (AK403 / IK402). */
  elementRef?: string;
  /** X12 element syntax error code (AK403 / IK403). */
  code: string;
  /** The offending element only, cut to its maximum length (AK404 / IK404). */
  badValue?: string;
  message: string;
}

/** One segment problem, reported as AK3/IK3. */
export interface SegmentError {
  segmentId: string;
  /** 1-based position of the segment in the set, ST = 1. */
  position: number;
  loopId?: string;
  /** X12 segment syntax error code (AK304 / IK304); `8` when only its elements are in error. */
  code: string;
  elements: ElementError[];
  message: string;
}

export type SetVerdict = 'A' | 'E' | 'R';
export type GroupVerdict = 'A' | 'E' | 'P' | 'R';
export type DuplicateAction = 'reject' | 'warn' | 'accept';

export interface SetResult {
  setId: string;
  controlNumber: string;
  implementationRef?: string;
  filePosition: number;
  byteOffset: number;
  byteEnd: number;
  segmentCount: number;
  errors: SegmentError[];
  /** AK502–AK506 / IK502–IK506 codes. */
  setCodes: string[];
  verdict: SetVerdict;
  issues: InputIssue[];
}

export interface GroupHeader {
  functionalId: string;
  applicationSender: string;
  applicationReceiver: string;
  date: string;
  time: string;
  controlNumber: string;
  agency: string;
  version: string;
}

export interface GroupResult {
  header: GroupHeader;
  filePosition: number;
  sets: SetResult[];
  /** AK905–AK909 codes. */
  groupCodes: string[];
  trailerFound: boolean;
  verdict: GroupVerdict;
  issues: InputIssue[];
}

export interface InterchangeHeader {
  authorizationQualifier: string;
  authorizationInfo: string;
  securityQualifier: string;
  securityInfo: string;
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  date: string;
  time: string;
  standardsIdOrRepetition: string;
  version: string;
  controlNumber: string;
  ackRequested: string;
  usage: string;
  delimiters: Delimiters;
}

export interface ReceivedTa1 {
  controlNumber: string;
  ackCode: string;
  noteCode: string;
}

export interface InterchangeResult {
  header: InterchangeHeader;
  filePosition: number;
  byteOffset: number;
  byteEnd: number;
  groups: GroupResult[];
  receivedTa1: ReceivedTa1[];
  trailerFound: boolean;
  /** TA1 I18 note code: `000` when the envelope is sound. */
  ta1Code: string;
  /** Accepted unless an interchange-level error was found. */
  accepted: boolean;
  issues: InputIssue[];
}

export interface ScanSummary {
  interchanges: InterchangeResult[];
  /** Problems outside any interchange (not X12, EBCDIC, junk between interchanges). */
  fileIssues: InputIssue[];
  setsFound: number;
  setsAccepted: number;
  setsRejected: number;
  segments: number;
  bytes: number;
}

import type { CanonicalRecord, DomainEvent, InputPlace } from '@crossdock/domain';

/**
 * Persistence the gateway needs, as ports. libs/edi stays free of any database: the composition root wires
 * table-backed implementations (see docs/edi.md for the tables); the in-memory ones here are for
 * tests, the CLI and the benchmark.
 */

export type ControlKind = 'interchange' | 'group' | 'set';

export interface ControlNumberAllocator {
  /** Next control number for the partner and kind; atomic, never handed out twice. */
  next(partnerId: string, kind: ControlKind): Promise<number>;
}

export interface InterchangeKey {
  partnerId: string;
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  controlNumber: string;
}

export type InterchangeClaim =
  /** First time this ISA13 is seen from this sender to this receiver within the window. */
  | { status: 'new' }
  /** The same file again (same content hash): a replay from the archive. */
  | { status: 'replay'; firstSeenAt: string }
  /** Another file re-used the control number within the window. */
  | { status: 'duplicate'; firstSeenAt: string; firstFile: string };

export interface InterchangeLedger {
  claim(key: InterchangeKey, fileSha256: string, at: Date, windowHours: number): Promise<InterchangeClaim>;
}

export interface ExpectedAck {
  partnerId: string;
  interchangeControl: number;
  groupControl: number;
  functionalId: string;
  sentAt: string;
  dueAt: string;
}

export interface AckOutcome {
  partnerId: string;
  groupControl: number;
  /** AK901 / AK9 acceptance code. */
  verdict: string;
  /** Human-readable AK3/AK4/AK5 reasons. */
  reasons: string[];
  receivedAt: string;
}

export interface TrackedGroup extends ExpectedAck {
  outcome?: AckOutcome;
  /** Set once an overdue alert has been raised, so it is raised once. */
  overdueAlertedAt?: string;
}

export interface OutboundAckTracker {
  expect(entry: ExpectedAck): Promise<void>;
  /** Records an ack; returns the tracked group, or null when no outbound group matches. */
  acknowledge(outcome: AckOutcome): Promise<TrackedGroup | null>;
  /** Groups past their due time with no ack and no alert yet; marks them alerted. */
  takeOverdue(now: Date): Promise<TrackedGroup[]>;
}

export interface QuarantineEntry {
  partnerId?: string;
  archiveRef?: string;
  source?: string;
  /** Where the rejected bytes sit in the archived file. */
  byteOffset: number;
  byteLength: number;
  /** The original bytes when the input was a buffer; with a stream, the archive range above. */
  bytes?: Buffer;
  code: string;
  reason: string;
  place: InputPlace;
  setKey?: string;
}

export interface QuarantinePort {
  put(entry: QuarantineEntry): Promise<void>;
}

/** Where translated records go: staged per set, committed only once the whole envelope is known good. */
export interface InboundSink {
  stage(setKey: string, records: CanonicalRecord[]): void;
  settle(setKey: string, accepted: boolean): Promise<void>;
  publish(events: DomainEvent[]): Promise<void>;
}

export interface AckTransport {
  /** Uploads an acknowledgment to the partner's outbound folder; the same name twice is a no-op. */
  send(partnerId: string, fileName: string, content: Buffer): Promise<void>;
}

export type EdiAlert =
  | { kind: 'ack-overdue'; partnerId: string; groupControl: number; dueAt: string }
  | { kind: 'ack-rejected'; partnerId: string; groupControl: number; verdict: string; reasons: string[] };

/**
 * Where alerts are kept for people to see and mark handled. An alert is stored once per kind,
 * partner and group control, so a job run again (or two workers) never files it twice.
 */
export interface AlertSink {
  /** Stores the alert; true when this call stored it, false when it was already there. */
  raise(alert: EdiAlert, raisedAt: Date): Promise<boolean>;
}

/** One business document sent to a partner, named by the caller (e.g. the PO number and its revision). */
export interface OutboundDocumentKey {
  partnerId: string;
  setId: string;
  documentKey: string;
}

export type OutboundDocumentStatus = 'prepared' | 'sent';

export interface OutboundDocumentRecord extends OutboundDocumentKey {
  interchangeControl: number;
  groupControl: number;
  setControls: number[];
  fileName: string;
  /** SHA-256 of the interchange text as uploaded. */
  contentSha256: string;
  /** SHA-256 of the sets it was written from: the same key with other sets is a caller error. */
  setsSha256: string;
  /** The interchange as first written, so a retry uploads the very same bytes. */
  text: string;
  status: OutboundDocumentStatus;
  createdAt: string;
}

/**
 * Outbound documents by their business key. A send is recorded before its upload and marked sent
 * after it; a retried send finds the record and repeats the same upload instead of writing anew.
 */
export interface OutboundDocumentLedger {
  find(key: OutboundDocumentKey): Promise<OutboundDocumentRecord | null>;
  /** Records a prepared document; when one with the same key exists already, returns that one instead. */
  reserve(record: OutboundDocumentRecord): Promise<OutboundDocumentRecord>;
  markSent(key: OutboundDocumentKey): Promise<void>;
}

import type { CanonicalRecord, DomainEvent } from '@crossdock/domain';
import type {
  AckOutcome,
  AckTransport,
  AlertSink,
  EdiAlert,
  ControlKind,
  ControlNumberAllocator,
  ExpectedAck,
  InboundSink,
  InterchangeClaim,
  InterchangeKey,
  InterchangeLedger,
  OutboundAckTracker,
  OutboundDocumentKey,
  OutboundDocumentLedger,
  OutboundDocumentRecord,
  QuarantineEntry,
  QuarantinePort,
  TrackedGroup,
} from './edi.ports';

export type RolloverPolicy = 'wrap' | 'fail';

/** Largest value of each control number: ISA13 and GS06 are 9 digits, ST02 is kept to 4–9. */
export const CONTROL_LIMITS: Record<ControlKind, number> = { interchange: 999_999_999, group: 999_999_999, set: 999_999_999 };

export class ControlNumberExhaustedError extends Error {
  constructor(partnerId: string, kind: ControlKind) {
    super(`control numbers for ${partnerId}/${kind} are exhausted and the rollover policy is "fail"`);
    this.name = 'ControlNumberExhaustedError';
  }
}

/**
 * Control numbers in memory. Each allocation is serialised per partner and kind through a promise
 * chain, the same contract a database row lock gives the table-backed implementation.
 */
export class InMemoryControlNumberAllocator implements ControlNumberAllocator {
  private readonly counters = new Map<string, number>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly policy: RolloverPolicy = 'wrap',
    private readonly limits: Record<ControlKind, number> = CONTROL_LIMITS,
    start: Record<string, number> = {},
  ) {
    for (const [key, value] of Object.entries(start)) this.counters.set(key, value);
  }

  next(partnerId: string, kind: ControlKind): Promise<number> {
    const key = `${partnerId}/${kind}`;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const allocation = previous.then(async () => {
      await Promise.resolve();
      const current = this.counters.get(key) ?? 0;
      let next = current + 1;
      if (next > this.limits[kind]) {
        if (this.policy === 'fail') throw new ControlNumberExhaustedError(partnerId, kind);
        next = 1;
      }
      this.counters.set(key, next);
      return next;
    });
    this.queues.set(key, allocation.catch(() => undefined));
    return allocation;
  }
}

export class InMemoryInterchangeLedger implements InterchangeLedger {
  private readonly seen = new Map<string, { at: Date; sha: string }>();

  async claim(key: InterchangeKey, fileSha256: string, at: Date, windowHours: number): Promise<InterchangeClaim> {
    const id = [key.senderQualifier, key.senderId, key.receiverQualifier, key.receiverId, Number(key.controlNumber)].join('|');
    const previous = this.seen.get(id);
    if (previous && at.getTime() - previous.at.getTime() <= windowHours * 3_600_000) {
      if (previous.sha === fileSha256) return { status: 'replay', firstSeenAt: previous.at.toISOString() };
      return { status: 'duplicate', firstSeenAt: previous.at.toISOString(), firstFile: previous.sha };
    }
    this.seen.set(id, { at, sha: fileSha256 });
    return { status: 'new' };
  }
}

export class InMemoryAckTracker implements OutboundAckTracker {
  readonly groups = new Map<string, TrackedGroup>();

  async expect(entry: ExpectedAck): Promise<void> {
    this.groups.set(`${entry.partnerId}/${entry.groupControl}`, { ...entry });
  }

  async acknowledge(outcome: AckOutcome): Promise<TrackedGroup | null> {
    const tracked = this.groups.get(`${outcome.partnerId}/${outcome.groupControl}`);
    if (!tracked) return null;
    tracked.outcome = outcome;
    return tracked;
  }

  async takeOverdue(now: Date): Promise<TrackedGroup[]> {
    const due: TrackedGroup[] = [];
    for (const group of this.groups.values()) {
      if (!group.outcome && !group.overdueAlertedAt && Date.parse(group.dueAt) <= now.getTime()) {
        group.overdueAlertedAt = now.toISOString();
        due.push(group);
      }
    }
    return due;
  }
}

export class InMemoryQuarantine implements QuarantinePort {
  readonly entries: QuarantineEntry[] = [];
  async put(entry: QuarantineEntry): Promise<void> {
    this.entries.push(entry);
  }
}

/** Stages records per set and keeps only committed ones, keyed so a replay overwrites, never adds. */
export class InMemoryInboundSink implements InboundSink {
  readonly committed = new Map<string, CanonicalRecord[]>();
  readonly events = new Map<string, DomainEvent>();
  private readonly staged = new Map<string, CanonicalRecord[]>();
  recordCount = 0;

  stage(setKey: string, records: CanonicalRecord[]): void {
    const list = this.staged.get(setKey);
    if (list) list.push(...records);
    else this.staged.set(setKey, [...records]);
  }

  async settle(setKey: string, accepted: boolean): Promise<void> {
    const records = this.staged.get(setKey) ?? [];
    this.staged.delete(setKey);
    if (!accepted) return;
    const before = this.committed.get(setKey)?.length ?? 0;
    this.committed.set(setKey, records);
    this.recordCount += records.length - before;
  }

  async publish(events: DomainEvent[]): Promise<void> {
    for (const event of events) this.events.set(event.id, event);
  }
}

export class InMemoryAckTransport implements AckTransport {
  readonly sent = new Map<string, { partnerId: string; content: Buffer }>();
  async send(partnerId: string, fileName: string, content: Buffer): Promise<void> {
    if (!this.sent.has(fileName)) this.sent.set(fileName, { partnerId, content });
  }
}

/** Alerts in memory, once per kind, partner and group control like the table. */
export class InMemoryAlertSink implements AlertSink {
  readonly alerts: (EdiAlert & { raisedAt: string })[] = [];

  async raise(alert: EdiAlert, raisedAt: Date): Promise<boolean> {
    const exists = this.alerts.some(
      (a) => a.kind === alert.kind && a.partnerId === alert.partnerId && a.groupControl === alert.groupControl,
    );
    if (exists) return false;
    this.alerts.push({ ...alert, raisedAt: raisedAt.toISOString() });
    return true;
  }
}

export class InMemoryOutboundDocumentLedger implements OutboundDocumentLedger {
  readonly documents = new Map<string, OutboundDocumentRecord>();

  private static id(key: OutboundDocumentKey): string {
    return [key.partnerId, key.setId, key.documentKey].join('\u001f');
  }

  async find(key: OutboundDocumentKey): Promise<OutboundDocumentRecord | null> {
    const found = this.documents.get(InMemoryOutboundDocumentLedger.id(key));
    return found ? { ...found, setControls: [...found.setControls] } : null;
  }

  async reserve(record: OutboundDocumentRecord): Promise<OutboundDocumentRecord> {
    const id = InMemoryOutboundDocumentLedger.id(record);
    const existing = this.documents.get(id);
    if (existing) return { ...existing, setControls: [...existing.setControls] };
    this.documents.set(id, { ...record, setControls: [...record.setControls] });
    return record;
  }

  async markSent(key: OutboundDocumentKey): Promise<void> {
    const found = this.documents.get(InMemoryOutboundDocumentLedger.id(key));
    if (found) found.status = 'sent';
  }
}

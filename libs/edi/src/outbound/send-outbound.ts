import { createHash } from 'node:crypto';
import type { TradingPartnerProfile } from '../partners/trading-partner';
import type {
  AckTransport,
  ControlNumberAllocator,
  OutboundAckTracker,
  OutboundDocumentKey,
  OutboundDocumentLedger,
  OutboundDocumentRecord,
} from '../ports/edi.ports';
import { GuideValidatorFactory } from '../validation/guide-validator';
import { X12Writer, type OutboundSet } from './x12-writer';

export interface OutboundPorts {
  allocator: ControlNumberAllocator;
  transport: AckTransport;
  tracker?: OutboundAckTracker;
  /** Needed with a document key: remembers what was sent under it. */
  documents?: OutboundDocumentLedger;
  clock?: () => Date;
}

export interface OutboundOptions {
  /**
   * The business document's own key, e.g. `PO-1001/r2` (PO number and revision). Sending the same
   * key again repeats the first send: same control numbers, file name and bytes, tracked once.
   */
  documentKey?: string;
}

export interface SentInterchange {
  fileName: string;
  interchangeControl: number;
  groupControl: number;
  text: string;
  /** True when an earlier send of the same document key was repeated rather than written anew. */
  repeated?: boolean;
}

/** The same document key came back with other sets: the change needs a new key (a new revision). */
export class OutboundDocumentConflictError extends Error {
  constructor(key: OutboundDocumentKey) {
    super(
      `${key.partnerId} ${key.setId} "${key.documentKey}" was sent before with other content; send the change under a new document key`,
    );
    this.name = 'OutboundDocumentConflictError';
  }
}

const FUNCTIONAL_IDS: Record<string, string> = { '850': 'PO', '860': 'PC', '940': 'OW', '943': 'AR' };

/**
 * Sends sets of one kind to a partner as one interchange: control numbers are allocated, the
 * text is written with the partner's delimiters (data containing one is refused), parsed and
 * validated again, uploaded, and the group is tracked until its 997/999 arrives. With a document
 * key the send is idempotent: recorded in the ledger before the upload, and repeated, not rewritten,
 * when the same key is sent again (a job re-run after a crash).
 */
export async function sendOutbound(
  sets: readonly OutboundSet[],
  profile: TradingPartnerProfile,
  ports: OutboundPorts,
  options: OutboundOptions = {},
): Promise<SentInterchange> {
  if (sets.length === 0) throw new Error('nothing to send');
  const setId = sets[0].setId;
  if (sets.some((s) => s.setId !== setId)) throw new Error('one interchange carries one kind of set');
  const functionalId = FUNCTIONAL_IDS[setId];
  if (!functionalId) throw new Error(`set ${setId} is not an outbound document`);
  const now = (ports.clock ?? (() => new Date()))();
  const key = options.documentKey === undefined ? null : { partnerId: profile.id, setId, documentKey: options.documentKey };
  if (key && !ports.documents) throw new Error('a document key needs an outbound document ledger (ports.documents)');
  const setsSha256 = key ? sha256(canonicalJson(sets)) : '';
  if (key && ports.documents) {
    const earlier = await ports.documents.find(key);
    if (earlier) return repeatSend(earlier, setsSha256, profile, ports, functionalId, now);
  }
  const interchangeControl = await ports.allocator.next(profile.id, 'interchange');
  const groupControl = await ports.allocator.next(profile.id, 'group');
  const setControls: number[] = [];
  for (let i = 0; i < sets.length; i++) setControls.push(await ports.allocator.next(profile.id, 'set'));
  const version = profile.version === '005010' ? '005010' : '004010';
  const writer = new X12Writer(new GuideValidatorFactory(profile.guideOverrides ?? {}));
  const text = writer.write({
    senderQualifier: profile.ourIsaQualifier,
    senderId: profile.ourIsaId,
    receiverQualifier: profile.isaQualifier,
    receiverId: profile.isaId,
    controlVersion: version === '005010' ? '00501' : '00401',
    controlNumber: interchangeControl,
    ackRequested: profile.acks.ta1 !== 'never',
    usage: profile.usage,
    date: now,
    delimiters: profile.outboundDelimiters,
    groups: [{ functionalId, applicationSender: profile.ourGsId, applicationReceiver: profile.gsId, version, controlNumber: groupControl, firstSetControl: setControls[0], setControls, sets }],
  });
  const fileName = `${profile.id}-${setId}-${String(interchangeControl).padStart(9, '0')}.x12`;
  if (key && ports.documents) {
    // Recorded before the upload: a crash after it leaves what a retry needs to send the same bytes.
    const reserved = await ports.documents.reserve({
      ...key,
      interchangeControl,
      groupControl,
      setControls,
      fileName,
      contentSha256: sha256(text),
      setsSha256,
      text,
      status: 'prepared',
      createdAt: now.toISOString(),
    });
    // A concurrent send of the same document recorded first; its interchange is the one that goes out.
    if (reserved.fileName !== fileName) return repeatSend(reserved, setsSha256, profile, ports, functionalId, now);
  }
  await ports.transport.send(profile.id, fileName, Buffer.from(text, 'utf8'));
  await trackGroup(profile, ports, functionalId, interchangeControl, groupControl, now);
  if (key && ports.documents) await ports.documents.markSent(key);
  return { fileName, interchangeControl, groupControl, text };
}

/**
 * The second send of a recorded document. A send that completed is not repeated at all; one that
 * crashed before it was marked sent uploads the recorded bytes again under the recorded name (the
 * transport skips a name it already has) and tracks the group.
 */
async function repeatSend(
  record: OutboundDocumentRecord,
  setsSha256: string,
  profile: TradingPartnerProfile,
  ports: OutboundPorts,
  functionalId: string,
  now: Date,
): Promise<SentInterchange> {
  if (record.setsSha256 !== setsSha256) throw new OutboundDocumentConflictError(record);
  if (record.status !== 'sent') {
    await ports.transport.send(profile.id, record.fileName, Buffer.from(record.text, 'utf8'));
    await trackGroup(profile, ports, functionalId, record.interchangeControl, record.groupControl, now);
    await ports.documents?.markSent(record);
  }
  return { fileName: record.fileName, interchangeControl: record.interchangeControl, groupControl: record.groupControl, text: record.text, repeated: true };
}

async function trackGroup(
  profile: TradingPartnerProfile,
  ports: OutboundPorts,
  functionalId: string,
  interchangeControl: number,
  groupControl: number,
  now: Date,
): Promise<void> {
  if (!profile.acks.expectForOutbound || !ports.tracker) return;
  await ports.tracker.expect({
    partnerId: profile.id,
    interchangeControl,
    groupControl,
    functionalId,
    sentAt: now.toISOString(),
    dueAt: new Date(now.getTime() + profile.slaHours * 3_600_000).toISOString(),
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON with object keys sorted, so the same sets hash alike whatever order their keys were built in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

import { createHash } from 'node:crypto';
import type { CanonicalRecord, InputIssue, InputPlace } from '@crossdock/domain';
import { ackGroups, wantsTa1, ta1Segment, type AckGroupPlan } from '../acks/acknowledgment.builder';
import { AckReportReader, type AckReport } from '../acks/ack-report.reader';
import type { InterchangeResult, ScanSummary, SetResult } from '../envelope/envelope.types';
import { InterchangeReader, type SetContext } from '../envelope/interchange-reader';
import { X12Writer } from '../outbound/x12-writer';
import type { ChainDiscrepancy, ChainDocument, DocumentChainLedger } from '../chain/document-chain';
import {
  functionalAckFor,
  type PartnerResolver,
  type TradingPartnerProfile,
} from '../partners/trading-partner';
import type {
  AckTransport,
  ControlNumberAllocator,
  EdiAlert,
  InboundSink,
  InterchangeLedger,
  OutboundAckTracker,
  QuarantinePort,
} from '../ports/edi.ports';
import { X12Scanner } from '../scanner/x12-scanner';
import { FLATTENERS, type FlatRow, type SetFlattener } from '../translate/set-flatteners';
import type { RowMapper } from '../translate/row-mapper';
import type { RecordNormalizationPort } from '@crossdock/normalize';
import { GuideValidatorFactory } from '../validation/guide-validator';
import { peekInterchangeHeader } from './peek-header';

export interface InboundPorts {
  partners: PartnerResolver;
  ledger: InterchangeLedger;
  allocator: ControlNumberAllocator;
  sink: InboundSink;
  quarantine: QuarantinePort;
  transport: AckTransport;
  /** Translation into canonical records; without it sets are checked and acknowledged only. */
  rowMapper?: RowMapper;
  /** Master-data normalization of translated records: what it holds back is kept by the port, not staged. */
  normalizer?: RecordNormalizationPort;
  /** Reconciles received 997/999 against our outbound groups. */
  tracker?: OutboundAckTracker;
  /** Links 855/856/810/944 (as canonical records) to the orders they answer; raises inbound-delay events. */
  chain?: DocumentChainLedger;
  clock?: () => Date;
}

export interface InboundFileOptions {
  /** File name or path, used in every message. */
  source: string;
  archiveRef?: string;
  /** Connection the file came from; its partner is preferred over the ISA lookup. */
  partnerId?: string;
  /** Content hash when already known (the SFTP claim has it); computed otherwise. */
  sha256?: string;
  /** Rows per mapping call for streamed sets. */
  mappingBatchRows?: number;
}

export interface InboundFileReport {
  source: string;
  sha256: string;
  partnerId?: string;
  status: 'accepted' | 'partially-accepted' | 'rejected';
  replay: boolean;
  setsFound: number;
  setsAccepted: number;
  setsRejected: number;
  /** `ISA13/GS06/ST02` of every accepted set, in file order (quarantine entries name sets this way). */
  acceptedSetKeys: string[];
  records: number;
  issues: InputIssue[];
  acksSent: string[];
  quarantined: number;
  alerts: EdiAlert[];
  ackReports: AckReport[];
  discrepancies: ChainDiscrepancy[];
  summary: ScanSummary;
}

interface MappingJob {
  key: string;
  setId: string;
  mapping: string;
  rows: FlatRow[];
  place: InputPlace;
}

const PEEK_BYTES = 4096;

/**
 * Writes and re-checks every ack against the standard 997/999 guides; shared so those guides are
 * compiled once and its checker is reused (writing is synchronous, so files never interleave in it).
 */
const ackWriter = new X12Writer(new GuideValidatorFactory());

/** Whose item numbers a set carries besides ours: a supplier's (855, 856, 810, 846) or a customer's (850, 852, 860). */
const PARTNER_ROLE_OF_SET: Readonly<Record<string, 'supplier' | 'customer' | 'warehouse'>> = {
  '855': 'supplier',
  '856': 'supplier',
  '810': 'supplier',
  '846': 'supplier',
  '850': 'customer',
  '852': 'customer',
  '860': 'customer',
  '944': 'warehouse',
  '945': 'warehouse',
  '947': 'warehouse',
};

async function* chunksOf(
  input: Buffer | Iterable<Buffer> | AsyncIterable<Buffer | string>,
): AsyncGenerator<Buffer> {
  if (Buffer.isBuffer(input)) {
    // Fixed slices keep the streaming path the only path, whatever the input.
    for (let i = 0; i < input.length; i += 1 << 20)
      yield input.subarray(i, Math.min(input.length, i + (1 << 20)));
    return;
  }
  for await (const chunk of input as AsyncIterable<Buffer | string>)
    yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

/** Collects every issue of a scan, file-level first, in file order. */
export function allIssues(summary: ScanSummary): InputIssue[] {
  return [
    ...summary.fileIssues,
    ...summary.interchanges.flatMap((ic) => [
      ...ic.issues,
      ...ic.groups.flatMap((g) => [...g.issues, ...g.sets.flatMap((s) => s.issues)]),
    ]),
  ];
}

/**
 * The inbound entry point: scans a file (buffer or stream), checks envelopes and guides, flattens
 * and maps accepted sets into canonical records, quarantines what is rejected with its bytes and
 * reason, sends 997/999/TA1 through the partner's transport and reconciles received acks.
 * Replaying the same file is idempotent: records are keyed by set, acks are not sent twice.
 */
export async function processInboundFile(
  input: Buffer | Iterable<Buffer> | AsyncIterable<Buffer | string>,
  ports: InboundPorts,
  options: InboundFileOptions,
): Promise<InboundFileReport> {
  const now = (ports.clock ?? (() => new Date()))();
  const hash = createHash('sha256');
  const original = Buffer.isBuffer(input) ? input : null;
  const chunks = chunksOf(input);

  const head: Buffer[] = [];
  let headBytes = 0;
  let exhausted = false;
  while (headBytes < PEEK_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    // A copy: the caller may hand out one reused buffer (see fileChunks).
    head.push(Buffer.from(next.value));
    headBytes += next.value.length;
  }
  const firstHeader = peekInterchangeHeader(Buffer.concat(head));
  const profile: TradingPartnerProfile | null = options.partnerId
    ? await ports.partners.byId(options.partnerId)
    : firstHeader
      ? await ports.partners.byInterchange(firstHeader)
      : null;

  const jobs: MappingJob[] = [];
  const failedTranslation = new Set<string>();
  const ackReaders = new Map<string, AckReportReader>();
  const openRows = new Map<string, MappingJob>();
  const batchRows = options.mappingBatchRows ?? 2000;
  const flatteners = new Map<string, SetFlattener>();

  const reader = new InterchangeReader({
    source: options.source,
    validators: new GuideValidatorFactory(profile?.guideOverrides ?? {}),
    duplicateGroupAction: profile?.duplicates.group,
    duplicateSetAction: profile?.duplicates.set,
    observe: (context: SetContext) => {
      if (context.group.functionalId === 'FA' && (context.setId === '997' || context.setId === '999')) {
        const ackReader = new AckReportReader();
        ackReaders.set(context.key, ackReader);
        return ackReader;
      }
      const definition = FLATTENERS[context.setId];
      if (!definition || !profile || !ports.rowMapper) return null;
      const job: MappingJob = {
        key: context.key,
        setId: context.setId,
        mapping: definition.mapping,
        rows: [],
        place: { source: options.source, recordId: context.key },
      };
      openRows.set(context.key, job);
      const flattener = definition.create({
        partnerId: profile.id,
        emit(row) {
          job.rows.push(row);
          if (!definition.wholeSet && job.rows.length >= batchRows) {
            jobs.push({ ...job, rows: job.rows.splice(0) });
          }
        },
      });
      flatteners.set(context.key, flattener);
      return flattener;
    },
    onSetClosed: (context, result) => {
      flatteners.get(context.key)?.end();
      flatteners.delete(context.key);
      const job = openRows.get(context.key);
      openRows.delete(context.key);
      if (job && result.verdict !== 'R' && job.rows.length > 0) jobs.push(job);
      if (result.verdict === 'R') failedTranslation.add(context.key);
    },
  });
  const scanner = new X12Scanner(reader);
  let bytes = 0;

  const drain = async (): Promise<void> => {
    while (jobs.length > 0) {
      const job = jobs.shift()!;
      if (failedTranslation.has(job.key)) continue;
      const result = await ports.rowMapper!.map(
        job.mapping,
        job.rows,
        {
          sourceConnection: profile?.transport.connection ?? 'edi',
          sourceRecordId: job.key,
          runId: options.archiveRef,
        },
        job.place,
      );
      if (result.issues.length > 0) {
        failedTranslation.add(job.key);
        translationIssues.set(job.key, result.issues);
      } else {
        const records =
          ports.normalizer && profile
            ? (
                await ports.normalizer.normalizeRecords(result.records, {
                  path: 'edi',
                  partnerId: profile.id,
                  partnerRole: PARTNER_ROLE_OF_SET[job.setId],
                  setId: job.setId,
                  setKey: job.key,
                })
              ).accepted
            : result.records;
        ports.sink.stage(job.key, records);
        if (ports.chain)
          chainDocuments.set(job.key, chainDocumentsOf(records, chainDocuments.get(job.key) ?? []));
        stagedCounts.set(job.key, (stagedCounts.get(job.key) ?? 0) + records.length);
      }
    }
  };
  const translationIssues = new Map<string, InputIssue[]>();
  const stagedCounts = new Map<string, number>();
  const chainDocuments = new Map<string, ChainDocument[]>();

  const feed = async (chunk: Buffer): Promise<void> => {
    hash.update(chunk);
    bytes += chunk.length;
    scanner.push(chunk);
    await drain();
  };
  for (const chunk of head) await feed(chunk);
  if (!exhausted) {
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) await feed(next.value);
  }
  scanner.end();
  const summary = reader.finish(bytes);
  await drain();
  const sha256 = options.sha256 ?? hash.digest('hex');

  const issues: InputIssue[] = [];
  const alerts: EdiAlert[] = [];
  const acksSent: string[] = [];
  const ackReports: AckReport[] = [];
  const discrepancies: ChainDiscrepancy[] = [];
  let quarantined = 0;
  let replay = false;
  let records = 0;
  let setsAccepted = 0;
  let setsRejected = 0;
  const acceptedSetKeys: string[] = [];

  const place = (extra: InputPlace): InputPlace => ({ source: options.source, ...extra });
  const quarantine = async (
    byteOffset: number,
    byteEnd: number,
    code: string,
    reason: string,
    where: InputPlace,
    setKey?: string,
  ): Promise<void> => {
    quarantined++;
    await ports.quarantine.put({
      partnerId: profile?.id,
      archiveRef: options.archiveRef,
      source: options.source,
      byteOffset,
      byteLength: Math.max(0, byteEnd - byteOffset),
      bytes: original ? Buffer.from(original.subarray(byteOffset, byteEnd)) : undefined,
      code,
      reason,
      place: where,
      setKey,
    });
  };

  if (!profile && summary.interchanges.length > 0) {
    issues.push({
      code: 'UNKNOWN_PARTNER',
      message: firstHeader
        ? `no trading partner is set up for sender ${firstHeader.senderQualifier}/${firstHeader.senderId} to receiver ${firstHeader.receiverQualifier}/${firstHeader.receiverId}`
        : 'no trading partner could be determined',
      place: place({ segment: 'ISA', segmentPosition: 1, elementIndex: 6 }),
      severity: 'error',
    });
  }

  for (const fileIssue of summary.fileIssues) {
    if (fileIssue.severity === 'error')
      await quarantine(0, bytes, fileIssue.code, fileIssue.message, fileIssue.place);
  }

  for (const ic of summary.interchanges) {
    if (profile && !matchesPartner(ic, profile)) {
      ic.accepted = false;
      ic.ta1Code = ic.ta1Code === '000' ? '006' : ic.ta1Code;
      ic.issues.push({
        code: 'PARTNER_MISMATCH',
        message: `interchange sender ${ic.header.senderQualifier}/${ic.header.senderId} is not partner ${profile.id}`,
        place: place({ segment: 'ISA', segmentPosition: ic.filePosition, elementIndex: 6 }),
        severity: 'error',
      });
    }
    if (!profile) ic.accepted = false;
    if (profile && ic.accepted) {
      const claim = await ports.ledger.claim(
        {
          partnerId: profile.id,
          senderQualifier: ic.header.senderQualifier,
          senderId: ic.header.senderId,
          receiverQualifier: ic.header.receiverQualifier,
          receiverId: ic.header.receiverId,
          controlNumber: ic.header.controlNumber,
        },
        sha256,
        now,
        profile.duplicateWindowHours,
      );
      if (claim.status === 'replay') replay = true;
      if (claim.status === 'duplicate' && profile.duplicates.interchange !== 'accept') {
        const reject = profile.duplicates.interchange === 'reject';
        ic.issues.push({
          code: 'DUPLICATE_INTERCHANGE',
          message: `ISA13 ${ic.header.controlNumber} was already received on ${claim.firstSeenAt} in another file`,
          place: place({ segment: 'ISA', segmentPosition: ic.filePosition, elementIndex: 13 }),
          severity: reject ? 'error' : 'warning',
        });
        if (reject) {
          ic.accepted = false;
          ic.ta1Code = '025';
        }
      }
    }
    if (!ic.accepted) {
      const first = ic.issues.find((i) => i.severity === 'error');
      await quarantine(
        ic.byteOffset,
        ic.byteEnd,
        first?.code ?? 'INTERCHANGE_REJECTED',
        first?.message ?? 'interchange rejected',
        first?.place ?? place({ segmentPosition: ic.filePosition }),
      );
    }
    for (const group of ic.groups) {
      for (const set of group.sets) {
        const key = `${ic.header.controlNumber}/${group.header.controlNumber}/${set.controlNumber}`;
        const translationProblems = translationIssues.get(key) ?? [];
        const accepted =
          ic.accepted && group.verdict !== 'R' && set.verdict !== 'R' && translationProblems.length === 0;
        if (accepted) {
          setsAccepted++;
          acceptedSetKeys.push(key);
          records += stagedCounts.get(key) ?? 0;
          for (const document of chainDocuments.get(key) ?? []) {
            const outcome = await ports.chain!.record(document);
            discrepancies.push(...outcome.discrepancies);
            if (outcome.events.length > 0) await ports.sink.publish(outcome.events);
          }
        } else setsRejected++;
        await ports.sink.settle(key, accepted);
        issues.push(...translationProblems);
        if (!accepted && ic.accepted) {
          const reason =
            firstError(set) ?? group.issues.find((i) => i.severity === 'error') ?? translationProblems[0];
          await quarantine(
            set.byteOffset,
            set.byteEnd,
            reason?.code ?? 'SET_REJECTED',
            reason?.message ?? 'set rejected',
            reason?.place ?? place({ segmentPosition: set.filePosition }),
            key,
          );
        }
        const ackReader = ackReaders.get(key);
        if (ackReader && accepted) {
          ackReports.push(ackReader.report);
          if (ports.tracker && profile)
            await reconcile(ackReader.report, profile, ports.tracker, now, alerts);
        }
      }
    }
    if (profile && !replay) {
      const sent = await sendAcks(ic, profile, ports, now, sha256);
      if (sent) acksSent.push(sent);
    }
  }

  issues.unshift(...allIssues(summary));
  const hardFileProblem =
    summary.fileIssues.some((i) => i.severity === 'error') || summary.interchanges.some((ic) => !ic.accepted);
  const status: InboundFileReport['status'] =
    setsRejected === 0 && !hardFileProblem && summary.interchanges.length > 0
      ? 'accepted'
      : setsAccepted > 0
        ? 'partially-accepted'
        : 'rejected';
  return {
    source: options.source,
    sha256,
    partnerId: profile?.id,
    status,
    replay,
    setsFound: summary.setsFound,
    setsAccepted,
    setsRejected,
    acceptedSetKeys,
    records,
    issues,
    acksSent,
    quarantined,
    alerts,
    ackReports,
    discrepancies,
    summary,
  };
}

/**
 * The chain documents of a set's records, added to those of its earlier records (a set's records
 * may come in several parts). A 944's receipt lines stay one document: a transfer is matched
 * against the whole receipt advice, where a line it leaves out was not received.
 */
function chainDocumentsOf(records: readonly CanonicalRecord[], earlier: ChainDocument[]): ChainDocument[] {
  const documents = [...earlier];
  for (const r of records) {
    if (r.kind === 'purchase-orders') documents.push({ kind: 'order-acknowledged', order: r.record });
    else if (r.kind === 'shipments' && r.record.direction === 'inbound')
      documents.push({ kind: 'ship-notice', shipment: r.record });
    // Outbound shipments come from a warehouse's 945, answering our 940 by sales order.
    else if (r.kind === 'shipments') documents.push({ kind: 'warehouse-shipped', shipment: r.record });
    else if (r.kind === 'receipts') {
      const advice = documents.find((d) => d.kind === 'receipts');
      if (advice) advice.receipts.push(r.record);
      else documents.push({ kind: 'receipts', receipts: [r.record] });
    }
    // An invoice that names no order has nothing to be matched against.
    else if (r.kind === 'invoices' && r.record.poNumber !== undefined)
      documents.push({ kind: 'invoice', invoice: r.record });
  }
  return documents;
}

function firstError(set: SetResult): InputIssue | undefined {
  return set.issues.find((i) => i.severity === 'error');
}

function matchesPartner(ic: InterchangeResult, profile: TradingPartnerProfile): boolean {
  return ic.header.senderQualifier === profile.isaQualifier && ic.header.senderId === profile.isaId.trim();
}

async function reconcile(
  report: AckReport,
  profile: TradingPartnerProfile,
  tracker: OutboundAckTracker,
  now: Date,
  alerts: EdiAlert[],
): Promise<void> {
  const reasons = [
    ...report.groupReasons,
    ...report.sets.flatMap((s) => s.reasons.map((r) => `${s.setId} ${s.controlNumber}: ${r}`)),
  ];
  const tracked = await tracker.acknowledge({
    partnerId: profile.id,
    groupControl: report.groupControl,
    verdict: report.verdict,
    reasons,
    receivedAt: now.toISOString(),
  });
  if (tracked && report.verdict !== 'A') {
    alerts.push({
      kind: 'ack-rejected',
      partnerId: profile.id,
      groupControl: report.groupControl,
      verdict: report.verdict,
      reasons,
    });
  }
}

async function sendAcks(
  ic: InterchangeResult,
  profile: TradingPartnerProfile,
  ports: InboundPorts,
  now: Date,
  sha256: string,
): Promise<string | null> {
  const plans: AckGroupPlan[] = [];
  if (ic.accepted) {
    for (const group of ic.groups) {
      const kind = functionalAckFor(
        profile,
        group.header.functionalId,
        group.sets.map((s) => s.setId),
      );
      if (kind !== 'none') plans.push({ group, kind });
    }
  }
  const ta1 = wantsTa1(ic, profile.acks.ta1);
  if (plans.length === 0 && !ta1) return null;
  const controls: { group: number; set: number }[] = [];
  const interchangeControl = await ports.allocator.next(profile.id, 'interchange');
  for (let i = 0; i < plans.length; i++) {
    controls.push({
      group: await ports.allocator.next(profile.id, 'group'),
      set: await ports.allocator.next(profile.id, 'set'),
    });
  }
  const text = ackWriter.write({
    senderQualifier: ic.header.receiverQualifier,
    senderId: ic.header.receiverId,
    receiverQualifier: ic.header.senderQualifier,
    receiverId: ic.header.senderId,
    controlVersion: /^\d{5}$/.test(ic.header.version) ? ic.header.version : '00401',
    controlNumber: interchangeControl,
    ackRequested: false,
    usage: ic.header.usage === 'T' ? 'T' : 'P',
    date: now,
    delimiters: profile.outboundDelimiters,
    leading: ta1 ? [ta1Segment(ic)] : [],
    groups: ackGroups(plans, profile.outboundDelimiters, controls),
  });
  const fileName = `${profile.id}-ack-${ic.header.controlNumber}-${sha256.slice(0, 12)}.x12`;
  await ports.transport.send(profile.id, fileName, Buffer.from(text, 'utf8'));
  return fileName;
}

/**
 * An outbound document to a trading partner, as the worker sends it: the set's outbound mapping
 * turns the canonical input into X12, `sendOutbound` writes it with the partner's envelope and
 * delimiters (refusing data that holds one, re-reading what it wrote), the file goes to the
 * partner's outbound folder over its SFTP connection, and the group waits for its 997/999.
 */
import type { SftpConnectionConfig, SftpTransport } from '@crossdock/connectors/sftp';
import type { PurchaseOrder, SalesOrder, Shipment } from '@crossdock/domain';
import {
  DocumentChainLedger,
  type ChainDocument,
  isOutboundSetId,
  OutboundTranslator,
  sendOutbound,
  type SentInterchange,
} from '@crossdock/edi';
import type { MappingRegistry } from '@crossdock/mapping';
import {
  EdiAckTrackerRepository,
  EdiChainOrderRepository,
  EdiControlNumberRepository,
  EdiOutboundDocumentRepository,
  EdiPartnerRepository,
  type Persistence,
} from '@crossdock/persistence';
import type { EdiSendPayload } from '@crossdock/queue';
import type { SyncServices } from '@crossdock/sync';
import { SftpAckTransport } from './edi-inbound.ports';

export interface EdiOutboundDeps<T> {
  persistence: Persistence;
  sync: SyncServices;
  sftp: SftpTransport<T>;
  mappings: MappingRegistry;
  clock?: () => Date;
}

export interface EdiSendOutcome {
  partnerId: string;
  setId: string;
  documentKey: string;
  fileName: string;
  interchangeControl: number;
  groupControl: number;
  /** True when an earlier attempt of this document had already written it: nothing new was allocated. */
  repeated: boolean;
  /** The remote path, when this run uploaded the file (a completed earlier send uploads nothing). */
  uploaded: string | null;
}

/** A send that can never succeed as asked (unknown partner, set or input): retrying changes nothing. */
export class EdiSendRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EdiSendRefused';
  }
}

export class EdiOutboundSender<T> {
  private readonly translator: OutboundTranslator;
  private readonly partners: EdiPartnerRepository;

  constructor(private readonly deps: EdiOutboundDeps<T>) {
    this.translator = new OutboundTranslator(deps.mappings);
    this.partners = new EdiPartnerRepository(deps.persistence.unitOfWork);
  }

  /**
   * Sends one document; safe to run again for the same payload. The document key makes it
   * idempotent: a re-run after a crash repeats the recorded interchange (same control numbers and
   * bytes, uploaded under the same name, which the SFTP send ledger skips when it already went out).
   */
  async send(payload: EdiSendPayload): Promise<EdiSendOutcome> {
    const { persistence, sync } = this.deps;
    const unitOfWork = persistence.unitOfWork;
    if (!isOutboundSetId(payload.setId))
      throw new EdiSendRefused(`set ${payload.setId} is not an outbound document (850, 860, 940, 943)`);
    const profile = await this.partners.byId(payload.partnerId);
    if (!profile) throw new EdiSendRefused(`no trading partner ${payload.partnerId}`);
    const set = await this.translator.translateJson(payload.setId, payload.input, {
      source: `${payload.partnerId}/${payload.setId}/${payload.documentKey}`,
    });
    const connection = await sync.connections.open(profile.transport.connection);
    const transport = new SftpAckTransport(
      this.deps.sftp,
      connection.name,
      connection.config as SftpConnectionConfig,
      profile,
    );
    const sent: SentInterchange = await sendOutbound(
      [set],
      profile,
      {
        allocator: new EdiControlNumberRepository(unitOfWork),
        transport,
        tracker: new EdiAckTrackerRepository(unitOfWork),
        documents: new EdiOutboundDocumentRepository(unitOfWork),
        clock: this.deps.clock,
      },
      { documentKey: payload.documentKey },
    );
    // The chain links the answers to the document as it was sent: the supplier's 855, 856 and 810
    // to an 850, the warehouse's 945 to a 940, the receiving warehouse's 944 to a 943.
    const sentDocument = chainDocumentOfSent(payload);
    if (sentDocument) {
      const chain = new DocumentChainLedger(new EdiChainOrderRepository(unitOfWork), {
        clock: this.deps.clock,
      });
      await chain.record(sentDocument);
    }
    return {
      partnerId: profile.id,
      setId: payload.setId,
      documentKey: payload.documentKey,
      fileName: sent.fileName,
      interchangeControl: sent.interchangeControl,
      groupControl: sent.groupControl,
      repeated: sent.repeated === true,
      uploaded: transport.uploaded[0] ?? null,
    };
  }
}

/** The chain document an outbound set starts; the input was checked by the set's outbound mapping. */
function chainDocumentOfSent(payload: EdiSendPayload): ChainDocument | undefined {
  switch (payload.setId) {
    case '850':
      return { kind: 'order-sent', order: payload.input as PurchaseOrder };
    case '940':
      return { kind: 'warehouse-order-sent', order: payload.input as SalesOrder };
    case '943':
      return { kind: 'transfer-sent', shipment: payload.input as Shipment };
    default:
      return undefined;
  }
}

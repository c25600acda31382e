import {
  InputError,
  type InputPlace,
  type PurchaseOrder,
  type SalesOrder,
  type Shipment,
} from '@crossdock/domain';
import { defaultMappingsRoot, MappingRegistry, type MappedX12Set } from '@crossdock/mapping';
import type { OutboundSet, SegmentData } from './x12-writer';

/**
 * Canonical records to outbound transaction sets through the outbound mapping folders
 * (`mappings/canonical-to-x12-<set>`, target `x12:<set>`): 850 purchase order, 860 change, 940
 * warehouse shipping order and 943 stock transfer shipment advice. The sets go to `sendOutbound`,
 * whose writer refuses data holding a partner delimiter and re-reads every interchange it writes.
 */

export interface LineChange {
  lineNo: number;
  /** New ordered quantity; 0 deletes the line. */
  quantity: number;
}

/** An 860: the line changes against the order as it was sent. */
export interface PurchaseOrderChange {
  order: PurchaseOrder;
  changes: readonly LineChange[];
  /** YYYY-MM-DD. */
  changeDate: string;
}

/** What each outbound set is made from. */
export interface OutboundInputBySet {
  '850': PurchaseOrder;
  '860': PurchaseOrderChange;
  '940': SalesOrder;
  /** A transfer with a receiving warehouse (`toLocationCode`); quantities in base units (EA). */
  '943': Shipment;
}

export type OutboundSetId = keyof OutboundInputBySet;

export const OUTBOUND_SET_IDS: readonly OutboundSetId[] = ['850', '860', '940', '943'];

export function isOutboundSetId(value: string): value is OutboundSetId {
  return (OUTBOUND_SET_IDS as readonly string[]).includes(value);
}

/** Mapping folders whose target is an X12 set; loading only these keeps the inbound ones out of the way. */
export const isOutboundMappingFolder = (name: string): boolean => name.startsWith('canonical-to-x12-');

function toOutboundSet(mapped: MappedX12Set): OutboundSet {
  const segments = mapped.segments.map(([id, ...elements]): SegmentData => [
    id,
    ...elements.map((element) => element ?? undefined),
  ]);
  return mapped.implementationRef === undefined
    ? { setId: mapped.setId, segments }
    : { setId: mapped.setId, implementationRef: mapped.implementationRef, segments };
}

export class OutboundTranslator {
  constructor(private readonly registry: MappingRegistry) {}

  /** A translator over the repository's outbound mapping folders (or those under `root`). */
  static load(root: string = defaultMappingsRoot()): OutboundTranslator {
    return new OutboundTranslator(MappingRegistry.load(root, isOutboundMappingFolder));
  }

  /**
   * Runs the outbound mapping of the set on one input. Throws an InputError naming every issue (the
   * input field, e.g. `lines[0].sku`, or a field the mapping names, e.g. `changes[1].lineNo`).
   */
  translate<S extends OutboundSetId>(
    setId: S,
    input: OutboundInputBySet[S],
    place: InputPlace = {},
  ): Promise<OutboundSet> {
    return this.translateJson(setId, input, place);
  }

  /**
   * The same for input read from outside (a file, a request body) whose shape is not known yet: the
   * mapping checks it against the canonical kind before the expression sees it.
   */
  async translateJson(setId: OutboundSetId, input: unknown, place: InputPlace = {}): Promise<OutboundSet> {
    const mapping = this.registry.outboundForSet(setId);
    const result = await mapping.map(input, { source: mapping.definition.name, ...place });
    if (!result.set) throw new InputError(result.issues);
    return toOutboundSet(result.set);
  }
}

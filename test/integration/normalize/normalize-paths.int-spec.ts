// The same Normalizer on the three paths, fed from real inputs: the synthetic distributor's CSV
// extracts and X12 samples from public EDI projects under /work/shared. The ERP path uses records
// shaped as the ERP connectors emit them, built here because no ERP runs inside this test.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { InventoryBalance, Lineage, SalesOrder, SalesOrderLine } from '@crossdock/domain';
import {
  buildReferenceData,
  ediIdentifiersToItemIdentifiers,
  Normalizer,
  PlannabilityGate,
  qualifiedIdsFromElements,
  summarizeDqIssues,
  type NormalizeInput,
  type ReferenceDataSources,
} from '@crossdock/normalize';
import { readX12Segments } from './x12-segments';

const SHARED = '/work/shared';
const DEV = `${SHARED}/demand/synthetic_dev`;

function readCsv(path: string): Record<string, string>[] {
  return parse<Record<string, string>>(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true });
}

function lineage(sourceConnection: string, sourceRecordId: string, runId?: string): Lineage {
  return { sourceConnection, sourceRecordId, runId };
}

/** Reference data of the synthetic distributor: its items, warehouses and suppliers. */
function syntheticReference(): ReferenceDataSources {
  const items = readCsv(`${DEV}/items.csv`);
  return {
    items: items.map((row, i) => ({ sku: row.item_id, baseUom: 'EA', lineage: lineage('csv-extracts', `items.csv:${i + 2}`) })),
    conversions: items.map((row) => ({ sku: row.item_id, fromUom: 'CA', toUom: 'EA', factor: row.pack_size })),
    locations: readCsv(`${DEV}/locations.csv`).map((row, i) => ({ code: row.location_id, name: row.location_id, kind: 'warehouse' as const, lineage: lineage('csv-extracts', `locations.csv:${i + 2}`) })),
    locationCrossRefs: [
      { locationCode: 'W1', system: 'erp', value: '001', lineage: lineage('reference', 'loc-1') },
      { locationCode: 'W2', system: 'erp', value: '002', lineage: lineage('reference', 'loc-2') },
    ],
    suppliers: readCsv(`${DEV}/suppliers.csv`).map((row, i) => ({ code: row.supplier_id, name: row.supplier_id, lineage: lineage('csv-extracts', `suppliers.csv:${i + 2}`) })),
    crossRefs: items.map((row, i) => ({ sku: row.item_id, kind: 'erp-id' as const, value: String(500000 + i), lineage: lineage('erp-main', `item:${500000 + i}`) })),
  };
}

describe('normalization on every path', () => {
  it('CSV path: every item_locations.csv row is accepted or held, never dropped, and bad rows say where they are', () => {
    const { reference, issues: referenceIssues } = buildReferenceData(syntheticReference());
    expect(referenceIssues).toEqual([]);
    const gate = new PlannabilityGate();
    const normalizer = new Normalizer(reference, { gate });
    const original = readFileSync(`${DEV}/item_locations.csv`, 'utf8');
    const eol = original.includes('\r\n') ? '\r\n' : '\n';
    // Three bad rows appended: an unknown item, an unknown warehouse, negative stock.
    const text = [original.trimEnd(), 'D99999,W1,0.95,0.3,0.3,0.4,5', 'D00001,W9,0.95,0.3,0.3,0.4,5', 'D00002,W3,0.95,0.3,0.3,0.4,-7', ''].join(eol);
    const rows = parse<Record<string, string>>(text, { columns: true, skip_empty_lines: true });
    const inputs: NormalizeInput[] = rows.map((row, i) => {
      const line = i + 2;
      const balance: InventoryBalance = {
        sku: row.item_id,
        locationCode: row.location_id,
        onHand: Number(row.on_hand_at_eval_start),
        allocated: 0,
        backordered: 0,
        inTransit: 0,
        asOf: '2026-11-21T00:00:00Z',
        lineage: lineage('csv-extracts', `item_locations.csv:${line}`, 'run-csv-1'),
      };
      return { kind: 'inventory-balances', record: balance, path: 'csv', place: { source: 'item_locations.csv', line, column: 'item_id' } };
    });

    const result = normalizer.normalizeBatch(inputs);

    expect(result.accepted.length + result.held.length).toBe(rows.length);
    expect(result.accepted.length).toBe(rows.length - 2);
    expect(result.held.map((h) => [h.reasons[0].rule, h.reasons[0].place?.line])).toEqual([
      ['unresolved-item', rows.length - 1],
      ['unknown-location', rows.length],
    ]);
    expect(gate.isPlannable('D00002', 'W3')).toMatchObject({ plannable: false, reasons: [{ rule: 'negative-on-hand' }] });
    expect(gate.isPlannable('D00001', 'W1').plannable).toBe(true);
    expect(summarizeDqIssues(result.issues)).toMatchObject({ bySeverity: { blocking: 3 }, blockedItemLocations: 1 });
  });

  it('ERP path: ERP item ids, warehouse codes and case quantities come out canonical in the base unit', () => {
    const { reference } = buildReferenceData(syntheticReference());
    const normalizer = new Normalizer(reference);
    const packOfFirst = Number(readCsv(`${DEV}/items.csv`)[0].pack_size);
    const erpBalance: InventoryBalance = {
      sku: '500000',
      locationCode: '002',
      onHand: 3,
      allocated: 1,
      backordered: 0,
      inTransit: 2,
      asOf: '2026-11-21T06:00:00Z',
      lineage: lineage('erp-main', 'stock:500000:002', 'run-erp-7'),
    };
    const outcome = normalizer.normalize({ kind: 'inventory-balances', record: erpBalance, path: 'erp', quantityUom: 'CS' });
    expect(outcome.status).toBe('accepted');
    expect(outcome.canonical.record).toMatchObject({ sku: 'D00001', locationCode: 'W2', onHand: 3 * packOfFirst, allocated: packOfFirst, inTransit: 2 * packOfFirst });
    expect(outcome.canonical.record.lineage).toEqual(erpBalance.lineage);

    const conflicting = normalizer.normalize({ kind: 'inventory-balances', record: { ...erpBalance, sku: '500001' }, path: 'erp', itemIdentifiers: [{ kind: 'erp-id', value: '500001' }, { kind: 'sku', value: 'D00001' }] });
    expect(conflicting.status === 'held' && conflicting.reasons[0].rule).toBe('conflicting-cross-ref');
  });

  describe('EDI path', () => {
    const file = `${SHARED}/x12/samples/850/edieng-850-ok.edi`;

    /** An inbound 850 is a customer's order to us: vendor numbers (VN) are our SKUs, buyer catalog numbers (CB) the customer's. */
    function salesOrderFrom850(): { input: NormalizeInput; lineCount: number } {
      const segments = readX12Segments(file);
      const isa = segments.find((s) => s.id === 'ISA')!;
      const beg = segments.find((s) => s.id === 'BEG')!;
      const st = segments.find((s) => s.id === 'ST')!;
      const gs = segments.find((s) => s.id === 'GS')!;
      const po1s = segments.filter((s) => s.id === 'PO1');
      const lines: SalesOrderLine[] = po1s.map((s) => ({ lineNo: Number(s.elements[0]), sku: s.elements[10] ?? '', quantity: Number(s.elements[1]), uom: s.elements[2], shippedQuantity: 0 }));
      const lineIds = po1s.map((s) =>
        ediIdentifiersToItemIdentifiers(qualifiedIdsFromElements('PO1', s.elements, 6, { source: file, segmentPosition: s.position }), { partnerRole: 'customer', partnerCode: 'XYZ' }).identifiers,
      );
      const order: SalesOrder = {
        soNumber: beg.elements[2],
        customerCode: isa.elements[5].trim(),
        locationCode: 'W1',
        status: 'open',
        orderDate: '2010-11-27',
        lines,
        lineage: lineage('edi-xyz', `${isa.elements[12]}/${gs.elements[5]}/${st.elements[1]}`, `interchange-${isa.elements[12]}`),
      };
      return {
        input: { kind: 'sales-orders', record: order, path: 'edi', lineIdentifiers: lineIds, linePlaces: po1s.map((s) => ({ source: file, segment: 'PO1', segmentPosition: s.position })) },
        lineCount: lines.length,
      };
    }

    function ediReference(withLastItem: boolean): ReferenceDataSources {
      const ours = ['AB3542', 'RD5322', 'XY5266', 'VX2332', 'RV0524', ...(withLastItem ? ['DX1875'] : [])];
      return {
        items: ours.map((sku) => ({ sku, baseUom: 'EA', lineage: lineage('erp-main', sku) })),
        crossRefs: [{ sku: 'AB3542', kind: 'customer-part', partyCode: 'XYZ', value: '065322-117', lineage: lineage('reference', 'xyz-cat-1') }],
        locations: [
          { code: 'W1', name: 'Hub', kind: 'warehouse', lineage: lineage('reference', 'W1') },
          { code: 'XYZ-SOLON', name: 'XYZ Retail Solon', kind: 'customer', lineage: lineage('reference', 'XYZ-SOLON') },
        ],
        locationCrossRefs: [{ locationCode: 'XYZ-SOLON', system: 'duns', value: '0003947268292', lineage: lineage('reference', 'xyz-duns') }],
        customers: [{ code: 'XYZ', name: 'XYZ Retail', serviceTier: 'A', lineage: lineage('reference', 'XYZ') }],
        partyIds: [{ role: 'customer', system: 'isa-id', value: 'ABCDEFGHIJKLMNO', code: 'XYZ' }],
      };
    }

    it('resolves the 850 sender, ship-to N1 and every PO1 line through its qualifiers', () => {
      const { reference } = buildReferenceData(ediReference(true));
      const { input, lineCount } = salesOrderFrom850();
      const outcome = new Normalizer(reference).normalize(input);
      expect(outcome.status).toBe('accepted');
      const order = outcome.canonical.record as SalesOrder;
      expect(order.customerCode).toBe('XYZ');
      expect(order.lines).toHaveLength(lineCount);
      expect(order.lines.map((l) => l.sku)).toEqual(['AB3542', 'RD5322', 'XY5266', 'VX2332', 'RV0524', 'DX1875']);
      expect(outcome.issues.filter((i) => i.rule === 'unknown-identifier-qualifier')).toEqual([]);

      const n1 = readX12Segments(file).find((s) => s.id === 'N1' && s.elements[0] === 'ST')!;
      expect(reference.locations.resolveN1(n1.elements[2], n1.elements[3])).toEqual({ ok: true, code: 'XYZ-SOLON' });
    });

    it('holds the order when a line names an item nobody knows, pointing at its PO1 segment', () => {
      const { reference } = buildReferenceData(ediReference(false));
      const { input } = salesOrderFrom850();
      const outcome = new Normalizer(reference).normalize(input);
      expect(outcome.status).toBe('held');
      if (outcome.status !== 'held') return;
      expect(outcome.reasons).toHaveLength(1);
      expect(outcome.reasons[0]).toMatchObject({ rule: 'unresolved-item', place: { segment: 'PO1', segmentPosition: 30 }, evidence: { identifiers: ['sku DX1875', 'customer-part 067504-118 of XYZ'] } });
      expect(outcome.canonical.record).toEqual(input.record);
    });

    it('reports the GTIN-14 of an 832 LIN with a wrong check digit instead of matching it', () => {
      const path832 = `${SHARED}/x12/samples/832/oopf-832-hibcc-1.edi`;
      const lin = readX12Segments(path832).find((s) => s.id === 'LIN')!;
      const { identifiers, issues } = ediIdentifiersToItemIdentifiers(qualifiedIdsFromElements('LIN', lin.elements, 2, { source: path832, segmentPosition: lin.position }), {
        partnerRole: 'supplier',
        partnerCode: 'HC-MFR',
      });
      expect(issues.map((i) => i.evidence.qualifier)).toEqual(['MG']);
      const { reference } = buildReferenceData({ items: [{ sku: 'DRAPE-S', baseUom: 'EA', lineage: lineage('erp-main', 'DRAPE-S') }] });
      const resolution = reference.items.resolve(identifiers, { recordLabel: 'LIN 1', place: { source: path832, segment: 'LIN', segmentPosition: lin.position } });
      expect(resolution.status).toBe('held');
      expect(resolution.issues.map((i) => [i.rule, i.evidence.reason])).toEqual([
        ['invalid-gtin', 'check digit should be 1'],
        ['unresolved-item', undefined],
      ]);
    });
  });
});

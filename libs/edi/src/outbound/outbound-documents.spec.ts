import { InputError, type PurchaseOrder } from '@crossdock/domain';
import { scanX12 } from '../gateway/scan-file';
import { parsePartnerProfile } from '../partners/trading-partner';
import { InMemoryAckTracker, InMemoryAckTransport, InMemoryControlNumberAllocator } from '../ports/in-memory.ports';
import { GuideValidatorFactory } from '../validation/guide-validator';
import { purchaseOrderChangeTo860, purchaseOrderTo850, salesOrderTo940, transferTo943 } from './outbound-documents';
import { overdueAckAlerts } from '../gateway/ack-overdue';
import { sendOutbound } from './send-outbound';

const lineage = { sourceConnection: 'erp', sourceRecordId: 'po-1' };
const po: PurchaseOrder = {
  lineage,
  poNumber: 'PO-1001',
  supplierCode: 'acme',
  locationCode: 'WH1',
  status: 'sent',
  orderDate: '2026-11-20',
  currency: 'USD',
  lines: [
    { lineNo: 1, sku: 'SKU-1', quantity: 120, uom: 'EA', unitPrice: 2.5, dueDate: '2026-12-01', receivedQuantity: 0 },
    { lineNo: 2, sku: 'SKU-2', quantity: 24, uom: 'CA', receivedQuantity: 4 },
  ],
};
const profile = parsePartnerProfile({
  id: 'acme',
  name: 'Acme',
  isaQualifier: 'ZZ',
  isaId: 'ACME',
  gsId: 'ACME',
  ourIsaQualifier: 'ZZ',
  ourIsaId: 'CROSSDOCK',
  ourGsId: 'CROSSDOCK',
  slaHours: 12,
  transport: { connection: 'acme-sftp', inboundFolder: '/out', outboundFolder: '/in' },
});

function ports() {
  return { allocator: new InMemoryControlNumberAllocator(), transport: new InMemoryAckTransport(), tracker: new InMemoryAckTracker(), clock: () => new Date('2026-11-21T06:00:00Z') };
}

describe('outbound documents', () => {
  it.each([
    ['850', purchaseOrderTo850(po)],
    ['860', purchaseOrderChangeTo860(po, [{ lineNo: 1, quantity: 150 }, { lineNo: 2, quantity: 0 }], '2026-11-21')],
    ['940', salesOrderTo940({ lineage, soNumber: 'SO-9', customerCode: 'C9', locationCode: 'WH1', status: 'open', orderDate: '2026-11-20', lines: [{ lineNo: 1, sku: 'SKU-1', quantity: 10, uom: 'EA', shippedQuantity: 2 }] })],
    ['943', transferTo943({ lineage, shipmentId: 'TR-5', direction: 'outbound', status: 'planned', toLocationCode: 'WH2', shipDate: '2026-11-22', lines: [{ sku: 'SKU-1', quantity: 40 }] })],
  ])('writes a %s that its own guide accepts, and tracks the group for its ack', async (setId, set) => {
    const p = ports();
    const sent = await sendOutbound([set], profile, p);
    const back = scanX12(Buffer.from(sent.text), { validators: new GuideValidatorFactory() });
    expect(back.setsAccepted).toBe(1);
    expect(back.interchanges[0].groups[0].sets[0].setId).toBe(setId);
    expect(p.transport.sent.has(sent.fileName)).toBe(true);
    expect(p.tracker.groups.get(`acme/${sent.groupControl}`)!.dueAt).toBe('2026-11-21T18:00:00.000Z');
  });

  it('refuses an order whose data holds the partner delimiter, naming the element', async () => {
    const bad = purchaseOrderTo850({ ...po, lines: [{ ...po.lines[0], sku: 'SKU~1' }] });
    await expect(sendOutbound([bad], profile, ports())).rejects.toThrow(InputError);
    await expect(sendOutbound([bad], profile, ports())).rejects.toThrow(/PO107/);
  });

  it('raises an overdue alert once when no ack arrives within the SLA', async () => {
    const p = ports();
    const sent = await sendOutbound([purchaseOrderTo850(po)], profile, p);
    expect(await overdueAckAlerts(p.tracker, new Date('2026-11-21T17:00:00Z'))).toEqual([]);
    expect(await overdueAckAlerts(p.tracker, new Date('2026-11-21T18:30:00Z'))).toEqual([
      { kind: 'ack-overdue', partnerId: 'acme', groupControl: sent.groupControl, dueAt: '2026-11-21T18:00:00.000Z' },
    ]);
    expect(await overdueAckAlerts(p.tracker, new Date('2026-11-22T00:00:00Z'))).toEqual([]);
  });

  it('allocates distinct control numbers for each interchange', async () => {
    const p = ports();
    const a = await sendOutbound([purchaseOrderTo850(po)], profile, p);
    const b = await sendOutbound([purchaseOrderTo850(po)], profile, p);
    expect(b.interchangeControl).toBe(a.interchangeControl + 1);
    expect(b.groupControl).not.toBe(a.groupControl);
  });
});

import { InputError, type PurchaseOrder } from '@crossdock/domain';
import { scanX12 } from '../gateway/scan-file';
import { TEST_PURCHASE_ORDER, testPartner } from '../testing/partner-fixture';
import {
  InMemoryAckTracker,
  InMemoryAckTransport,
  InMemoryControlNumberAllocator,
} from '../ports/in-memory.ports';
import { GuideValidatorFactory } from '../validation/guide-validator';
import { overdueAckAlerts } from '../gateway/ack-overdue';
import { OutboundTranslator, type OutboundInputBySet, type OutboundSetId } from './outbound-translator';
import { sendOutbound } from './send-outbound';

// The repository's outbound mapping folders: what production sends is what these tests write.
const translator = OutboundTranslator.load();

const lineage = TEST_PURCHASE_ORDER.lineage;
const po: PurchaseOrder = {
  ...TEST_PURCHASE_ORDER,
  lines: [
    ...TEST_PURCHASE_ORDER.lines,
    { lineNo: 2, sku: 'SKU-2', quantity: 24, uom: 'CA', receivedQuantity: 4 },
  ],
};
const profile = testPartner({ isaId: 'ACME', gsId: 'ACME', slaHours: 12 });

function ports() {
  return {
    allocator: new InMemoryControlNumberAllocator(),
    transport: new InMemoryAckTransport(),
    tracker: new InMemoryAckTracker(),
    clock: () => new Date('2026-11-21T06:00:00Z'),
  };
}

const inputs: { [S in OutboundSetId]: OutboundInputBySet[S] } = {
  '850': po,
  '860': {
    order: po,
    changes: [
      { lineNo: 1, quantity: 150 },
      { lineNo: 2, quantity: 0 },
    ],
    changeDate: '2026-11-21',
  },
  '940': {
    lineage,
    soNumber: 'SO-9',
    customerCode: 'C9',
    locationCode: 'WH1',
    status: 'open',
    orderDate: '2026-11-20',
    lines: [{ lineNo: 1, sku: 'SKU-1', quantity: 10, uom: 'EA', shippedQuantity: 2 }],
  },
  '943': {
    lineage,
    shipmentId: 'TR-5',
    direction: 'outbound',
    status: 'planned',
    toLocationCode: 'WH2',
    shipDate: '2026-11-22',
    lines: [{ sku: 'SKU-1', quantity: 40 }],
  },
};

const translateSample = <S extends OutboundSetId>(setId: S) => translator.translate(setId, inputs[setId]);

describe('outbound documents', () => {
  it.each(['850', '860', '940', '943'] as const)(
    'writes a %s that its own guide accepts, and tracks the group for its ack',
    async (setId) => {
      const p = ports();
      const set = await translateSample(setId);
      const sent = await sendOutbound([set], profile, p);
      const back = scanX12(Buffer.from(sent.text), { validators: new GuideValidatorFactory() });
      expect(back.setsAccepted).toBe(1);
      expect(back.interchanges[0].groups[0].sets[0].setId).toBe(setId);
      expect(p.transport.sent.has(sent.fileName)).toBe(true);
      expect(p.tracker.groups.get(`acme/${sent.groupControl}`)!.dueAt).toBe('2026-11-21T18:00:00.000Z');
    },
  );

  it('writes the mapped segments as the 850 guide expects them', async () => {
    const sent = await sendOutbound([await translator.translate('850', po)], profile, ports());
    expect(sent.text).toContain('BEG*00*SA*PO-1001**20261120~\nCUR*BY*USD~\nN1*ST*WH1*92*WH1~\n');
    expect(sent.text).toContain(
      'PO1*1*120*EA*2.5*PE*BP*SKU-1~\nDTM*002*20261201~\nPO1*2*24*CA***BP*SKU-2~\nCTT*2~\n',
    );
  });

  it('refuses mapped data that holds the partner delimiter, naming the segment and element', async () => {
    // The mapping passes any text through; the writer is the guard, for every partner's delimiters.
    const segmentTerminator = await translator.translate('850', {
      ...po,
      lines: [{ ...po.lines[0], sku: 'SKU~1' }],
    });
    await expect(sendOutbound([segmentTerminator], profile, ports())).rejects.toThrow(InputError);
    await expect(sendOutbound([segmentTerminator], profile, ports())).rejects.toThrow(/PO107/);
    const elementSeparator = await translator.translate('940', { ...inputs['940'], customerCode: 'C*9' });
    const refusal = await sendOutbound([elementSeparator], profile, ports()).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(InputError);
    expect((refusal as InputError).issues).toEqual([
      expect.objectContaining({
        code: 'DELIMITER_IN_DATA',
        place: { segment: 'N1', segmentPosition: 3, elementIndex: 2 },
      }),
      expect.objectContaining({
        code: 'DELIMITER_IN_DATA',
        place: { segment: 'N1', segmentPosition: 3, elementIndex: 4 },
      }),
    ]);
    expect((refusal as InputError).message).toContain('N102 contains a delimiter of this partner');
    const pipes = { ...profile, outboundDelimiters: { element: '|', component: ':', segment: '\n' } };
    const pipeInData = await translator.translate('943', { ...inputs['943'], shipmentId: 'TR|5' });
    await expect(sendOutbound([pipeInData], pipes, ports())).rejects.toThrow(/W0602 contains a delimiter/);
  });

  it('re-reads what it wrote and refuses a mapped set its guide rejects, before it leaves', async () => {
    const p = ports();
    const tooLong = await translator.translate('850', {
      ...po,
      lines: [{ ...po.lines[0], sku: 'S'.repeat(49) }],
    });
    await expect(sendOutbound([tooLong], profile, p)).rejects.toThrow(/PO107/);
    expect(p.transport.sent.size).toBe(0);
  });

  it('refuses input the mapping cannot translate, naming the field', async () => {
    const noSku = { ...po, lines: [{ ...po.lines[0], sku: '' }] };
    await expect(translator.translate('850', noSku)).rejects.toThrow(
      /lines\[0\]\.sku: is required in the input \[REQUIRED\]/,
    );
    const noWarehouse = { ...inputs['943'], toLocationCode: undefined };
    await expect(translator.translate('943', noWarehouse)).rejects.toThrow(
      /toLocationCode: an X12 943 needs it/,
    );
    const unknownLine = { order: po, changes: [{ lineNo: 9, quantity: 1 }], changeDate: '2026-11-21' };
    await expect(translator.translate('860', unknownLine)).rejects.toThrow(
      /changes\[0\]\.lineNo: purchase order PO-1001 has no line 9 \[UNKNOWN_LINE\]/,
    );
  });

  it('raises an overdue alert once when no ack arrives within the SLA', async () => {
    const p = ports();
    const sent = await sendOutbound([await translator.translate('850', po)], profile, p);
    expect(await overdueAckAlerts(p.tracker, new Date('2026-11-21T17:00:00Z'))).toEqual([]);
    expect(await overdueAckAlerts(p.tracker, new Date('2026-11-21T18:30:00Z'))).toEqual([
      {
        kind: 'ack-overdue',
        partnerId: 'acme',
        groupControl: sent.groupControl,
        dueAt: '2026-11-21T18:00:00.000Z',
      },
    ]);
    expect(await overdueAckAlerts(p.tracker, new Date('2026-11-22T00:00:00Z'))).toEqual([]);
  });

  it('allocates distinct control numbers for each interchange', async () => {
    const p = ports();
    const set = await translator.translate('850', po);
    const a = await sendOutbound([set], profile, p);
    const b = await sendOutbound([set], profile, p);
    expect(b.interchangeControl).toBe(a.interchangeControl + 1);
    expect(b.groupControl).not.toBe(a.groupControl);
  });
});

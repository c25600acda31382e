import type { PurchaseOrder } from '@crossdock/domain';
import { TEST_PURCHASE_ORDER, testPartner } from '../testing/partner-fixture';
import type { AckTransport, ControlKind, ControlNumberAllocator } from '../ports/edi.ports';
import {
  InMemoryAckTracker,
  InMemoryAckTransport,
  InMemoryControlNumberAllocator,
  InMemoryOutboundDocumentLedger,
} from '../ports/in-memory.ports';
import { OutboundTranslator } from './outbound-translator';
import { OutboundDocumentConflictError, sendOutbound } from './send-outbound';
import type { OutboundSet } from './x12-writer';

const po: PurchaseOrder = TEST_PURCHASE_ORDER;
const profile = testPartner({ isaId: 'ACME', gsId: 'ACME', slaHours: 12 });

// The 850 as the repository's outbound mapping writes it.
const translator = OutboundTranslator.load();
let poSet: OutboundSet;
beforeAll(async () => {
  poSet = await translator.translate('850', po);
});

/** Counts what it hands out, so a test sees whether a send allocated anything. */
class CountingAllocator implements ControlNumberAllocator {
  readonly calls: ControlKind[] = [];
  private readonly inner = new InMemoryControlNumberAllocator();
  next(partnerId: string, kind: ControlKind): Promise<number> {
    this.calls.push(kind);
    return this.inner.next(partnerId, kind);
  }
}

/** A transport that keeps every upload, repeated names included, like a log of SFTP puts. */
class RecordingTransport implements AckTransport {
  readonly uploads: { fileName: string; content: Buffer }[] = [];
  readonly store = new InMemoryAckTransport();
  failNext = false;
  async send(partnerId: string, fileName: string, content: Buffer): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('connection reset');
    }
    this.uploads.push({ fileName, content });
    await this.store.send(partnerId, fileName, content);
  }
}

function ports(clock = () => new Date('2026-11-21T06:00:00Z')) {
  return {
    allocator: new CountingAllocator(),
    transport: new RecordingTransport(),
    tracker: new InMemoryAckTracker(),
    documents: new InMemoryOutboundDocumentLedger(),
    clock,
  };
}

describe('sendOutbound with a document key', () => {
  it('repeats the first send for the same key: one allocation set, the same bytes, one tracked group', async () => {
    let now = new Date('2026-11-21T06:00:00Z');
    const p = ports(() => now);
    const expect1 = jest.spyOn(p.tracker, 'expect');
    const first = await sendOutbound([poSet], profile, p, { documentKey: 'PO-1001/r1' });
    now = new Date('2026-11-21T09:30:00Z');
    const second = await sendOutbound([poSet], profile, p, { documentKey: 'PO-1001/r1' });

    expect(p.allocator.calls).toEqual(['interchange', 'group', 'set']);
    expect(second).toEqual({ ...first, repeated: true });
    expect(second.text).toBe(first.text);
    expect(p.transport.store.sent.size).toBe(1);
    expect(p.transport.store.sent.get(first.fileName)!.content.equals(Buffer.from(first.text))).toBe(true);
    expect(expect1).toHaveBeenCalledTimes(1);
    expect(p.tracker.groups.size).toBe(1);
    expect(p.documents.documents.size).toBe(1);
    expect([...p.documents.documents.values()][0]).toMatchObject({
      status: 'sent',
      fileName: first.fileName,
    });
  });

  it('writes a new interchange for another key', async () => {
    const p = ports();
    const a = await sendOutbound([poSet], profile, p, { documentKey: 'PO-1001/r1' });
    const b = await sendOutbound([poSet], profile, p, { documentKey: 'PO-1001/r2' });
    expect(b.interchangeControl).toBe(a.interchangeControl + 1);
    expect(b.groupControl).not.toBe(a.groupControl);
    expect(b.fileName).not.toBe(a.fileName);
    expect(b.repeated).toBeUndefined();
    expect(p.transport.store.sent.size).toBe(2);
    expect(p.tracker.groups.size).toBe(2);
  });

  it('uploads the recorded bytes under the recorded name when the first upload failed', async () => {
    let now = new Date('2026-11-21T06:00:00Z');
    const p = ports(() => now);
    p.transport.failNext = true;
    await expect(sendOutbound([poSet], profile, p, { documentKey: 'PO-1001/r1' })).rejects.toThrow(
      'connection reset',
    );
    const recorded = [...p.documents.documents.values()][0];
    expect(recorded.status).toBe('prepared');
    expect(p.tracker.groups.size).toBe(0);

    now = new Date('2026-11-21T07:00:00Z');
    const retry = await sendOutbound([poSet], profile, p, { documentKey: 'PO-1001/r1' });
    expect(p.allocator.calls).toHaveLength(3);
    expect(retry).toMatchObject({
      fileName: recorded.fileName,
      interchangeControl: recorded.interchangeControl,
      text: recorded.text,
      repeated: true,
    });
    // The text keeps the first attempt's date (ISA09 261121, ISA10 0600).
    expect(retry.text).toContain('*261121*0600*');
    expect(p.transport.uploads.map((u) => u.fileName)).toEqual([recorded.fileName]);
    expect(p.tracker.groups.get(`acme/${retry.groupControl}`)!.dueAt).toBe('2026-11-21T19:00:00.000Z');
    expect(p.documents.documents.get(['acme', '850', 'PO-1001/r1'].join('\u001f'))!.status).toBe('sent');
  });

  it('sends one interchange when two sends of the same key race', async () => {
    const p = ports();
    const [a, b] = await Promise.all([
      sendOutbound([poSet], profile, p, { documentKey: 'PO-1001/r1' }),
      sendOutbound([poSet], profile, p, { documentKey: 'PO-1001/r1' }),
    ]);
    expect(b.fileName).toBe(a.fileName);
    expect(b.text).toBe(a.text);
    expect(p.transport.store.sent.size).toBe(1);
    expect(p.tracker.groups.size).toBe(1);
  });

  it('refuses other sets under a key already sent, so a changed order is not silently dropped', async () => {
    const p = ports();
    await sendOutbound([poSet], profile, p, { documentKey: 'PO-1001/r1' });
    const changed = await translator.translate('850', { ...po, lines: [{ ...po.lines[0], quantity: 130 }] });
    await expect(sendOutbound([changed], profile, p, { documentKey: 'PO-1001/r1' })).rejects.toThrow(
      OutboundDocumentConflictError,
    );
    expect(p.transport.store.sent.size).toBe(1);
  });

  it('needs a ledger for a key, and without a key allocates anew on every call as before', async () => {
    const { documents: _documents, ...withoutLedger } = ports();
    await expect(
      sendOutbound([poSet], profile, withoutLedger, { documentKey: 'PO-1001/r1' }),
    ).rejects.toThrow(/ledger/);
    const p = ports();
    const a = await sendOutbound([poSet], profile, p);
    const b = await sendOutbound([poSet], profile, p);
    expect(b.interchangeControl).toBe(a.interchangeControl + 1);
    expect(p.documents.documents.size).toBe(0);
  });
});

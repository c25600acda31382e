import { PURCHASE_ORDER_STATUSES, SALES_ORDER_STATUSES, SHIPMENT_STATUSES } from './status-machine';

describe('status machines', () => {
  it('maps source codes per system and accepts canonical names', () => {
    expect(PURCHASE_ORDER_STATUSES.normalize('erp', 'processing', 'PO-1')).toEqual({ ok: true, status: 'partially-received' });
    expect(PURCHASE_ORDER_STATUSES.normalize('edi', 'AC', 'PO-1')).toEqual({ ok: true, status: 'acknowledged' });
    expect(SHIPMENT_STATUSES.normalize('edi', 'D1', 'SH-1')).toEqual({ ok: true, status: 'delivered' });
    expect(SALES_ORDER_STATUSES.normalize('csv', 'Partially-Shipped', 'SO-1')).toEqual({ ok: true, status: 'partially-shipped' });
  });

  it('reports an unknown status with the codes it knows', () => {
    const result = PURCHASE_ORDER_STATUSES.normalize('erp', 'ON HOLD', 'PO-9', { source: 'erp-main', recordId: '42' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issue).toMatchObject({ rule: 'unknown-status', severity: 'blocking', entity: { type: 'purchase-order', key: 'PO-9' } });
    expect(result.issue.message).toBe('purchase-order PO-9: unknown status "ON HOLD" from erp');
    expect(result.issue.evidence.knownCodes).toContain('RELEASED');
  });

  it('allows the lifecycle forward and the same state again', () => {
    expect(PURCHASE_ORDER_STATUSES.canTransition('sent', 'acknowledged')).toBe(true);
    expect(PURCHASE_ORDER_STATUSES.canTransition('received', 'received')).toBe(true);
    expect(SHIPMENT_STATUSES.canTransition('planned', 'delivered')).toBe(true);
  });

  it('refuses going backward or leaving a final state, naming the allowed moves', () => {
    const result = PURCHASE_ORDER_STATUSES.checkTransition('received', 'sent', 'PO-1');
    expect(result).toMatchObject({ ok: false, issue: { rule: 'illegal-status-transition', evidence: { from: 'received', to: 'sent', allowed: ['closed'] } } });
    expect(SHIPMENT_STATUSES.canTransition('delivered', 'in-transit')).toBe(false);
    expect(SALES_ORDER_STATUSES.canTransition('cancelled', 'open')).toBe(false);
  });

  it('has every transition target among its states', () => {
    for (const machine of [PURCHASE_ORDER_STATUSES, SALES_ORDER_STATUSES, SHIPMENT_STATUSES]) {
      const states = new Set<string>(machine.definition.states);
      for (const targets of Object.values<readonly string[]>(machine.definition.transitions)) {
        for (const target of targets) expect(states.has(target)).toBe(true);
      }
      for (const codes of Object.values(machine.definition.sourceCodes)) {
        for (const status of Object.values<string>(codes)) expect(states.has(status)).toBe(true);
      }
    }
  });
});

import type { DqIssue } from '../dq/dq-issue';
import { dqIssueKey, itemEntity, itemLocationEntity } from '../dq/dq-issue';
import { PlannabilityGate } from './plannability-gate';

const negative: DqIssue = { rule: 'negative-on-hand', severity: 'blocking', entity: itemLocationEntity('W-1', 'W1'), message: 'W-1 at W1: on hand is -3', evidence: {} };
const inconsistent: DqIssue = { rule: 'inconsistent-uom-conversion', severity: 'blocking', entity: itemEntity('W-2'), message: 'W-2: conversions contradict', evidence: {} };
const warning: DqIssue = { rule: 'near-duplicate-item', severity: 'warning', entity: itemEntity('W-3'), message: 'similar', evidence: {} };

describe('PlannabilityGate', () => {
  it('holds only the item-location of an item-location issue, with its reason', () => {
    const gate = new PlannabilityGate([negative]);
    expect(gate.isPlannable('W-1', 'W1')).toEqual({
      plannable: false,
      reasons: [{ sku: 'W-1', locationCode: 'W1', rule: 'negative-on-hand', message: 'W-1 at W1: on hand is -3', issueKey: dqIssueKey(negative) }],
    });
    expect(gate.isPlannable('W-1', 'W2').plannable).toBe(true);
  });

  it('holds an item everywhere for an item issue and ignores non-blocking ones', () => {
    const gate = new PlannabilityGate([inconsistent, warning]);
    expect(gate.isPlannable('W-2', 'W1').plannable).toBe(false);
    expect(gate.isPlannable('W-2', 'W5').reasons[0].rule).toBe('inconsistent-uom-conversion');
    expect(gate.isPlannable('W-3', 'W1').plannable).toBe(true);
    expect(gate.holds()).toHaveLength(1);
  });

  it('records the same issue twice as one hold and releases it', () => {
    const gate = new PlannabilityGate([negative, negative]);
    expect(gate.holds()).toHaveLength(1);
    gate.release(dqIssueKey(negative));
    expect(gate.isPlannable('W-1', 'W1').plannable).toBe(true);
  });
});

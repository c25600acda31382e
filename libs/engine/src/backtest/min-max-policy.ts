/**
 * Static min-max baseline from BACKTEST.md: min = ceil(d̄ × (quoted LT + 7)), max = min + ceil(30 d̄),
 * order up to max when IP ≤ min, never updated. `coverFactor` scales the min for the baseline's own
 * trade-off curve (1 = the protocol's baseline). Its ranking is by days of cover.
 */
import { applyLotRules } from '../policy';
import { BacktestPolicy, Decision, PolicyView, RankingRow, StaticItemLocation } from './simulator';

export class StaticMinMaxPolicy implements BacktestPolicy {
  readonly name: string;
  readonly parameters: Record<string, unknown>;
  private levels: { min: number; max: number; mean: number }[] | undefined;

  constructor(
    private readonly ils: readonly StaticItemLocation[],
    private readonly quotedLeadTime: ReadonlyMap<string, number>,
    private readonly evalStart: number,
    private readonly coverFactor = 1,
  ) {
    this.name = coverFactor === 1 ? 'static-min-max' : `static-min-max×${coverFactor}`;
    this.parameters = {
      coverFactor,
      rule: 'min = ceil(d̄ × coverFactor × (quoted LT + 7)); max = min + ceil(30 d̄); d̄ over days 0..evalStart−1',
    };
  }

  private ensureLevels(view: PolicyView): { min: number; max: number; mean: number }[] {
    if (!this.levels) {
      this.levels = this.ils.map((il, i) => {
        const history = view.history(i);
        let sum = 0;
        const days = Math.min(this.evalStart, history.length);
        for (let d = 0; d < days; d++) sum += history[d];
        const mean = days > 0 ? sum / days : 0;
        const lt = this.quotedLeadTime.get(il.item.supplierId) ?? 30;
        const min = Math.ceil(mean * this.coverFactor * (lt + 7));
        return { min, max: min + Math.ceil(30 * mean), mean };
      });
    }
    return this.levels;
  }

  private position(view: PolicyView, i: number): number {
    let onOrder = 0;
    for (const o of view.openOrders(i)) onOrder += o.qty;
    return view.onHand[i] - view.backorders[i] + onOrder;
  }

  decide(view: PolicyView): Decision[] {
    const levels = this.ensureLevels(view);
    const out: Decision[] = [];
    for (let i = 0; i < this.ils.length; i++) {
      const { min, max, mean } = levels[i];
      if (mean <= 0) continue;
      const ip = this.position(view, i);
      if (ip > min) continue;
      const il = this.ils[i];
      const qty = applyLotRules(max - ip, {
        moq: il.item.moq,
        pack: il.item.packSize,
        unitCost: il.item.unitCost,
      }).qty;
      if (qty > 0) out.push({ kind: 'po', il: i, qty, confidence: 1 });
    }
    return out;
  }

  rank(view: PolicyView): RankingRow[] {
    const levels = this.ensureLevels(view);
    return this.ils.map((_, i) => {
      const cover =
        levels[i].mean > 0 ? Math.max(0, view.onHand[i] - view.backorders[i]) / levels[i].mean : Infinity;
      // Days of cover is not a probability; mapped onto [0, 1] only so the file keeps one format.
      return {
        il: i,
        pStockout: Number.isFinite(cover) ? Math.exp(-cover / 7) : 0,
        score: Number.isFinite(cover) ? -cover : -1e9,
      };
    });
  }
}

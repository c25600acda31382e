/**
 * The engine's replenishment policy as a backtest participant: (s,S) with daily review, fill-rate
 * safety factor per item-location, lead time learned from the policy's own receipts, and a
 * bootstrap stockout probability for the exception ranking.
 */
import { forecastDemand, DemandForecast } from '../demand-forecast';
import { estimateLeadTime, LeadTimeEstimate, DEFAULT_LEAD_TIME_PRIOR, LeadTimeReceipt } from '../lead-time';
import {
  applyLotRules,
  lotQuantity,
  protectionDemand,
  ProtectionDemand,
  reorderLevels,
  ReorderLevels,
} from '../policy';
import { evaluateTransfer } from '../recommendations';
import { confidenceOf, priorityScore } from '../priority';
import { normalCdf, normalQuantile } from '../normal';
import { BacktestPolicy, Decision, PolicyView, RankingRow, StaticItemLocation } from './simulator';

export interface EnginePolicyConfig {
  /** Uniform fill-rate target replacing each item-location's own (service sweep); undefined = own target. */
  serviceOverride?: number;
  reviewDays: number;
  /** Lot size target in days of mean demand before supplier rounding. */
  cycleDays: number;
  refitDays: number;
  leadTimeMeanWidening: number;
  leadTimeSdFraction: number;
  leadTimePriorWeight: number;
  monteCarloPaths: number;
  bootstrapWeeks: number;
  tierPenaltyFraction: number;
  revenueWeight: number;
  /** Cost weight λ for the marginal-value service rule (trade-off sweep); undefined = per-item-location fill-rate targets. */
  costWeight?: number;
  /**
   * Piecewise-linear map from an item-location's fill-rate target to the target fed to the loss
   * equation, fitted on the dev backtest: the normal model is optimistic on lumpy demand and the
   * first weeks are bounded by the starting stock, so the equation must aim higher to land on target.
   * Empty = use targets as they are.
   */
  fillRateCalibration: readonly (readonly [number, number])[];
  transfers: boolean;
}

export const DEFAULT_ENGINE_POLICY: EnginePolicyConfig = {
  reviewDays: 1,
  cycleDays: 7,
  refitDays: 7,
  leadTimeMeanWidening: DEFAULT_LEAD_TIME_PRIOR.meanWidening,
  leadTimeSdFraction: DEFAULT_LEAD_TIME_PRIOR.sdFraction,
  leadTimePriorWeight: DEFAULT_LEAD_TIME_PRIOR.priorWeight,
  monteCarloPaths: 400,
  bootstrapWeeks: 8,
  tierPenaltyFraction: 0.25,
  revenueWeight: 0.1,
  fillRateCalibration: [
    [0.9, 0.94],
    [0.95, 0.999],
    [0.98, 0.9995],
  ],
  transfers: true,
};

type PlannedLevels = ReorderLevels & { lot: number; sigmaP: number; horizon: number };

/** Forecasts depend only on history, so sweep runs share them. */
export type ForecastCache = Map<string, DemandForecast>;

export class EnginePolicy implements BacktestPolicy {
  readonly name: string;
  readonly parameters: Record<string, unknown>;
  private readonly forecasts: (DemandForecast | undefined)[];
  private readonly leadTimes = new Map<string, LeadTimeEstimate>();
  private readonly receiptsBySupplier = new Map<string, LeadTimeReceipt[]>();
  private receiptsSeen = 0;
  private lastRefit = -Infinity;
  private readonly lanes = new Map<string, { leadTimeDays: number; costPctOfUnitCost: number }>();
  private readonly itemGroups = new Map<string, number[]>();

  constructor(
    private readonly ils: readonly StaticItemLocation[],
    private readonly quotedLeadTime: ReadonlyMap<string, number>,
    private readonly config: EnginePolicyConfig = DEFAULT_ENGINE_POLICY,
    private readonly cache: ForecastCache = new Map(),
    lanes: readonly { from: string; to: string; leadTimeDays: number; costPctOfUnitCost: number }[] = [],
  ) {
    for (const lane of lanes) this.lanes.set(`${lane.from}|${lane.to}`, lane);
    ils.forEach((il, i) => {
      const group = this.itemGroups.get(il.itemId) ?? [];
      group.push(i);
      this.itemGroups.set(il.itemId, group);
    });
    this.name =
      config.costWeight !== undefined
        ? `engine-λ${config.costWeight}`
        : config.serviceOverride === undefined
          ? 'engine'
          : `engine@${config.serviceOverride}`;
    this.parameters = { ...config };
    this.forecasts = new Array<DemandForecast | undefined>(ils.length);
  }

  private leadTime(supplierId: string): LeadTimeEstimate {
    let est = this.leadTimes.get(supplierId);
    if (!est) {
      est = estimateLeadTime(this.receiptsBySupplier.get(supplierId) ?? [], this.prior(supplierId));
      this.leadTimes.set(supplierId, est);
    }
    return est;
  }

  private prior(supplierId: string) {
    return {
      quotedDays: this.quotedLeadTime.get(supplierId) ?? NaN,
      meanWidening: this.config.leadTimeMeanWidening,
      sdFraction: this.config.leadTimeSdFraction,
      priorWeight: this.config.leadTimePriorWeight,
    };
  }

  private absorbReceipts(view: PolicyView): void {
    for (; this.receiptsSeen < view.receipts.length; this.receiptsSeen++) {
      const r = view.receipts[this.receiptsSeen];
      const list = this.receiptsBySupplier.get(r.supplierId) ?? [];
      list.push({ leadTimeDays: r.receivedDay - r.placedDay, daysLate: r.receivedDay - r.quotedDueDay });
      this.receiptsBySupplier.set(r.supplierId, list);
      this.leadTimes.delete(r.supplierId);
    }
  }

  private refit(view: PolicyView): void {
    if (view.day - this.lastRefit < this.config.refitDays) return;
    this.lastRefit = view.day;
    for (let i = 0; i < this.ils.length; i++) {
      const lt = this.leadTime(this.ils[i].item.supplierId);
      const horizonDays = Math.max(1, Math.ceil(lt.meanDays + this.config.reviewDays));
      const key = `${i}|${view.day}|${Math.ceil(horizonDays / 7)}`;
      let f = this.cache.get(key);
      if (!f) {
        f = forecastDemand(view.history(i), horizonDays);
        this.cache.set(key, f);
      }
      this.forecasts[i] = f;
    }
  }

  decide(view: PolicyView): Decision[] {
    this.absorbReceipts(view);
    this.refit(view);
    const n = this.ils.length;
    const position = new Float64Array(n);
    const onHand = Float64Array.from(view.onHand);
    const levels = new Array<PlannedLevels | undefined>(n);
    for (let i = 0; i < n; i++) {
      const f = this.forecasts[i];
      let onOrder = 0;
      for (const o of view.openOrders(i)) onOrder += o.qty;
      position[i] = view.onHand[i] - view.backorders[i] + onOrder;
      if (!f || f.dailyMean <= 0) continue;
      const il = this.ils[i];
      const lt = this.leadTime(il.item.supplierId);
      const horizon = lt.meanDays + this.config.reviewDays;
      const empirical = f.horizonSd * Math.sqrt(horizon / Math.max(1, f.horizonDays));
      const protection = protectionDemand({
        dailyMean: f.dailyMean,
        dailySd: 0,
        leadTimeMeanDays: lt.meanDays,
        leadTimeSdDays: lt.sdDays,
        reviewDays: this.config.reviewDays,
        empiricalHorizonSd: empirical,
      });
      const lot = lotQuantity(Math.max(f.dailyMean * this.config.cycleDays, 1), this.lotRules(i));
      levels[i] = { ...this.levels(protection, lot, f.dailyMean, il), lot, sigmaP: protection.sd, horizon };
    }
    const out: Decision[] = [];
    if (this.config.transfers) this.planTransfers(view, levels, position, onHand, out);
    for (let i = 0; i < n; i++) {
      const f = this.forecasts[i];
      const lv = levels[i];
      if (!f) continue;
      // No forecast demand: only clear a backlog, never build stock.
      const reorderPoint = lv ? lv.reorderPoint : -1e-9;
      const orderUpTo = lv ? lv.orderUpTo : 0;
      if (position[i] > reorderPoint) continue;
      if (this.config.transfers && lv) this.rebalanceFromExcess(view, i, levels, position, onHand, out);
      if (position[i] > reorderPoint) continue;
      const order = applyLotRules(orderUpTo - position[i], this.lotRules(i));
      if (order.qty <= 0) continue;
      const lt = this.leadTime(this.ils[i].item.supplierId);
      const confidence = confidenceOf({
        historyDays: f.historyDays,
        forecastRmsse: f.rmsse,
        leadTimeSamples: lt.samples,
        dataQualityFlags: f.reasons,
      }).confidence;
      out.push({ kind: 'po', il: i, qty: order.qty, confidence });
    }
    return out;
  }

  /**
   * Fill-rate levels at the item-location's target, or — when a cost weight λ is set — the
   * marginal-value rule 1 − Φ(k) = λ·c·Q/d̄: raising k by dk costs c·σ·dk of stock and saves
   * (d̄/Q)·σ·(1 − Φ(k))·dk units short per day, so cheap fast movers get more protection than
   * dear slow ones for the same network fill rate.
   */
  private levels(
    protection: ProtectionDemand,
    lot: number,
    dailyMean: number,
    il: StaticItemLocation,
  ): ReorderLevels {
    const lambda = this.config.costWeight;
    if (lambda !== undefined) {
      const tail = Math.min(0.999, Math.max(1e-6, (lambda * il.item.unitCost * lot) / dailyMean));
      return reorderLevels(protection, lot, { kind: 'cycle-service', level: Math.max(0.5, 1 - tail) });
    }
    const target =
      this.config.serviceOverride ?? calibrate(il.serviceTarget, this.config.fillRateCalibration);
    return reorderLevels(protection, lot, { kind: 'fill-rate', level: target });
  }

  /**
   * Before a PO, pull stock a sibling location holds above its own order-up-to level (or holds
   * with no demand at all) over a lane faster than the supplier: the stock exists already.
   */
  private rebalanceFromExcess(
    view: PolicyView,
    i: number,
    levels: readonly (PlannedLevels | undefined)[],
    position: Float64Array,
    onHand: Float64Array,
    out: Decision[],
  ): void {
    const lv = levels[i];
    if (!lv) return;
    const il = this.ils[i];
    const lt = this.leadTime(il.item.supplierId);
    for (const j of this.itemGroups.get(il.itemId) ?? []) {
      if (j === i) continue;
      const lane = this.lanes.get(`${this.ils[j].locationId}|${il.locationId}`);
      if (!lane || lane.leadTimeDays >= lt.meanDays) continue;
      const keep = levels[j]?.orderUpTo ?? 0;
      const excess = Math.floor(Math.min(onHand[j] - view.backorders[j], position[j] - keep));
      const need = Math.ceil(lv.orderUpTo - position[i]);
      if (excess < 1 || need < 1) continue;
      const x = Math.min(excess, need);
      out.push({ kind: 'transfer', il: i, fromIl: j, qty: x, confidence: 1 });
      onHand[j] -= x;
      position[j] -= x;
      position[i] += x;
      if (position[i] >= lv.orderUpTo) return;
    }
  }

  private lotRules(i: number) {
    const item = this.ils[i].item;
    return { moq: item.moq, pack: item.packSize, unitCost: item.unitCost };
  }

  /**
   * Lateral transfers for item-locations that will run short before a new PO could arrive:
   * each gap is filled from the sibling location with the most to spare over a lane faster than
   * the supplier, value-tested by evaluateTransfer.
   */
  private planTransfers(
    view: PolicyView,
    levels: readonly (PlannedLevels | undefined)[],
    position: Float64Array,
    onHand: Float64Array,
    out: Decision[],
  ): void {
    for (const group of this.itemGroups.values()) {
      if (group.length < 2) continue;
      // Higher service targets are served first: with scarce network stock, they claim it first.
      const receivers = [...group].sort(
        (a, b) => this.ils[b].serviceTarget - this.ils[a].serviceTarget || a - b,
      );
      for (const i of receivers) {
        const lv = levels[i];
        const f = this.forecasts[i];
        if (!lv || !f) continue;
        const il = this.ils[i];
        const lt = this.leadTime(il.item.supplierId);
        const window = Math.max(1, Math.ceil(lt.meanDays));
        let available = view.onHand[i] - view.backorders[i];
        let nextReceipt = Infinity;
        for (const o of view.openOrders(i)) {
          const eta = o.kind === 'po' && !o.initial ? o.placedDay + lt.meanDays : o.expectedDay;
          if (eta - view.day <= window) available += o.qty;
          nextReceipt = Math.min(nextReceipt, Math.max(0, eta - view.day));
        }
        const sigmaWindow = lv.sigmaP * Math.sqrt(window / Math.max(1, lv.horizon));
        const windowMean = f.dailyMean * window;
        const gap = windowMean + lv.safetyFactor * sigmaWindow - available;
        if (gap < 1) continue;
        const daysToStockout = available <= 0 ? 0 : available / f.dailyMean;
        const unitValue =
          il.item.unitPrice -
          il.item.unitCost +
          this.config.tierPenaltyFraction * il.item.unitPrice * il.tierShares.a;
        let best: { j: number; qty: number; gain: number } | undefined;
        for (const j of group) {
          if (j === i) continue;
          const lane = this.lanes.get(`${this.ils[j].locationId}|${il.locationId}`);
          const dj = levels[j];
          const fj = this.forecasts[j];
          if (!lane || onHand[j] < 1) continue;
          const donorMean = fj ? fj.dailyMean * window : 0;
          const donorSd = dj ? dj.sigmaP * Math.sqrt(window / Math.max(1, dj.horizon)) : 0;
          const decision = evaluateTransfer({
            donor: {
              position: position[j],
              horizonMean: donorMean,
              horizonSd: donorSd,
              // A donor with a lower target gives down to its expected demand (its safety stock is
              // worth less than the receiver's); otherwise it keeps its reorder point.
              reorderPoint: dj
                ? this.ils[j].serviceTarget < il.serviceTarget
                  ? donorMean
                  : dj.reorderPoint
                : 0,
              orderUpTo: dj ? dj.orderUpTo : 0,
            },
            receiver: {
              position: available,
              horizonMean: windowMean,
              horizonSd: sigmaWindow,
              reorderPoint: lv.reorderPoint,
              orderUpTo: lv.orderUpTo,
            },
            unitValue,
            unitLaneCost: lane.costPctOfUnitCost * il.item.unitCost,
            laneLeadTimeDays: lane.leadTimeDays,
            // Exposure lasts until a new PO could land, so a lane faster than that still helps.
            receiverDaysToStockout: Math.max(daysToStockout, window),
            receiverDaysToNextReceipt: Math.min(nextReceipt === Infinity ? window : nextReceipt, window),
            pack: 1,
            donorOnHand: onHand[j] - view.backorders[j],
            maxQty: Math.ceil(gap),
          });
          if (decision.recommend && (!best || decision.gain > best.gain))
            best = { j, qty: decision.qty, gain: decision.gain };
        }
        if (!best) continue;
        out.push({ kind: 'transfer', il: i, fromIl: best.j, qty: best.qty, confidence: 1 });
        onHand[best.j] -= best.qty;
        position[best.j] -= best.qty;
        position[i] += best.qty;
      }
    }
  }

  rank(view: PolicyView): RankingRow[] {
    this.absorbReceipts(view);
    this.refit(view);
    const rows: RankingRow[] = [];
    const paths = this.config.monteCarloPaths;
    for (let i = 0; i < this.ils.length; i++) {
      const il = this.ils[i];
      const history = view.history(i);
      const random = mulberry32(hashSeed(i, view.day));
      const lt = this.leadTime(il.item.supplierId);
      const orders = view.openOrders(i);
      let hits = 0;
      let shortUnits = 0;
      let shortUnitsA = 0;
      for (let p = 0; p < paths; p++) {
        const arrivals = orders.map((o) =>
          sampleArrival(o.kind === 'po' && !o.initial, o.placedDay, o.expectedDay, view.day, lt, random),
        );
        let stock = view.onHand[i];
        let owed = view.backorders[i];
        let short = false;
        for (let tau = 1; tau <= 7; tau++) {
          const t = view.day + tau;
          for (let j = 0; j < orders.length; j++) if (arrivals[j] === t) stock += orders[j].qty;
          const fromBacklog = Math.min(stock, owed);
          stock -= fromBacklog;
          owed -= fromBacklog;
          const week = 1 + Math.floor(random() * this.config.bootstrapWeeks);
          const idx = t - 7 * week;
          const d = idx >= 0 && idx < history.length ? history[idx] : 0;
          if (d > 0) {
            if (stock < d) {
              short = true;
              shortUnits += d - Math.max(0, stock);
              shortUnitsA += (d - Math.max(0, stock)) * il.tierShares.a;
              stock = 0;
            } else stock -= d;
          }
        }
        if (short) hits++;
      }
      const pStockout = hits / paths;
      const es = shortUnits / paths;
      const score = priorityScore(
        {
          feasibility: 1,
          unitPrice: il.item.unitPrice,
          unitCost: il.item.unitCost,
          expectedShortage: es,
          expectedShortageTierA: shortUnitsA / paths,
          tierPenaltyPerUnit: this.config.tierPenaltyFraction * il.item.unitPrice,
          revenueWeight: this.config.revenueWeight,
          effort: 1,
        },
        {
          pStockout,
          confidence: 1,
          confidenceReasons: [],
          counterfactual: { stockoutDay: undefined, unitsShort: es, valueShort: es * il.item.unitPrice },
        },
      ).score;
      rows.push({ il: i, pStockout, score });
    }
    return rows;
  }
}

/** Piecewise-linear interpolation through (target, effective) points; flat beyond the ends. */
export function calibrate(target: number, table: readonly (readonly [number, number])[]): number {
  if (table.length === 0) return target;
  const sorted = [...table].sort((a, b) => a[0] - b[0]);
  if (target <= sorted[0][0]) return Math.min(0.9999, sorted[0][1] + (target - sorted[0][0]));
  for (let k = 1; k < sorted.length; k++) {
    const [x0, y0] = sorted[k - 1];
    const [x1, y1] = sorted[k];
    if (target <= x1) return y0 + ((target - x0) / (x1 - x0)) * (y1 - y0);
  }
  return sorted[sorted.length - 1][1];
}

/** Arrival day of an open order in one scenario: own POs from the learned lead time, conditioned on not having arrived. */
function sampleArrival(
  uncertain: boolean,
  placedDay: number,
  expectedDay: number,
  today: number,
  lt: LeadTimeEstimate,
  random: () => number,
): number {
  if (!uncertain) return expectedDay;
  const sd = Math.max(0.5, lt.sdDays);
  const elapsed = today - placedDay;
  const floor = normalCdf((elapsed + 0.5 - lt.meanDays) / sd);
  const u = Math.min(1 - 1e-9, floor + (1 - floor) * random());
  const days = lt.meanDays + sd * normalQuantile(Math.max(1e-9, u));
  return placedDay + Math.max(elapsed + 1, Math.round(days));
}

function hashSeed(a: number, b: number): number {
  let h = (a * 0x9e3779b1) ^ (b * 0x85ebca77);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Small deterministic PRNG so every run of the backtest ranks identically. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

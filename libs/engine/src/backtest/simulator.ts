/**
 * Deterministic daily simulator implementing BACKTEST.md: receipts, FIFO backorders (or lost
 * sales), policy decisions after demand, per-supplier lead-time draws consumed in decision order
 * (wrapping), ranking snapshots every 7th day with do-nothing counterfactual labels.
 */
import { BacktestDataset, BacktestItemLocation } from './dataset';

export type StaticItemLocation = Omit<BacktestItemLocation, 'demand'>;

export interface PolicyOpenOrder {
  kind: 'po' | 'transfer';
  qty: number;
  placedDay: number;
  /** For POs: placed day + quoted lead time (or the file's due day for initial POs). For transfers: the known arrival day. */
  expectedDay: number;
  supplierId?: string;
  initial: boolean;
}

export interface ReceiptObservation {
  supplierId: string;
  placedDay: number;
  receivedDay: number;
  quotedDueDay: number;
}

/** What a policy may see on day t: state plus history up to and including day t. */
export interface PolicyView {
  day: number;
  onHand: Float64Array;
  backorders: Float64Array;
  openOrders(il: number): readonly PolicyOpenOrder[];
  /** Receipts of POs the policy placed itself, in arrival order. */
  receipts: readonly ReceiptObservation[];
  history(il: number): Float64Array;
}

export interface Decision {
  kind: 'po' | 'transfer';
  /** Receiving item-location index. */
  il: number;
  qty: number;
  /** Donor item-location index, transfers only. */
  fromIl?: number;
  /** Below the review threshold the action is surfaced for human review. */
  confidence?: number;
}

export interface RankingRow {
  il: number;
  pStockout: number;
  score: number;
}

export interface BacktestPolicy {
  name: string;
  parameters: Record<string, unknown>;
  decide(view: PolicyView): Decision[];
  rank(view: PolicyView): RankingRow[];
}

export interface SimulationOptions {
  lostSales: boolean;
  /** Decisions with confidence below this count as surfaced for review. */
  reviewThreshold: number;
  /** Whether to keep the decision and ranking rows (the sweep only needs metrics). */
  keepLogs: boolean;
  /** Whether to take ranking snapshots at all (sweep runs skip them). */
  rankings: boolean;
}

export interface DecisionRow {
  day: number;
  kind: 'po' | 'transfer';
  itemId: string;
  locationId: string;
  qty: number;
  supplierId: string;
  fromLocationId: string;
}

export interface RankingLogRow {
  day: number;
  rank: number;
  itemId: string;
  locationId: string;
  pStockout: number;
  score: number;
  label7: boolean;
  labelLeadTime: boolean;
}

export interface ServiceClassMetrics {
  target: number;
  itemLocations: number;
  demand: number;
  fillRate: number;
}

export interface SimulationMetrics {
  unitFillRate: number;
  revenueWeightedFillRate: number;
  tierAFillRate: number;
  stockoutDays: number;
  averageOnHandValue: number;
  purchaseOrders: number;
  transfers: number;
  moqOrPackViolations: number;
  rejectedTransfers: number;
  reviewActionsPerWeek: number;
  byServiceClass: ServiceClassMetrics[];
  ranking: {
    snapshots: number;
    precisionAt1pct7d: number;
    precisionAt5pct7d: number;
    precisionAt1pctLeadTime: number;
    precisionAt5pctLeadTime: number;
    ece7d: number;
    positiveRate7d: number;
  };
}

export interface SimulationResult {
  policy: string;
  parameters: Record<string, unknown>;
  lostSales: boolean;
  metrics: SimulationMetrics;
  decisions: DecisionRow[];
  rankings: RankingLogRow[];
}

export interface Pending {
  il: number;
  qty: number;
  arrivalDay: number;
  view: PolicyOpenOrder;
}

export function simulate(
  dataset: BacktestDataset,
  policy: BacktestPolicy,
  options: SimulationOptions,
): SimulationResult {
  const ils = dataset.itemLocations;
  const n = ils.length;
  const start = dataset.evalStart;
  const end = dataset.days;
  const onHand = new Float64Array(n);
  const backorders = new Float64Array(n);
  const openByIl: Pending[][] = Array.from({ length: n }, () => []);
  const arrivals = new Map<number, Pending[]>();
  const receipts: ReceiptObservation[] = [];
  const drawCursor = new Map<string, number>();
  const quoted = dataset.quotedLeadTime;
  const laneByPair = new Map<string, number>();
  for (const lane of dataset.lanes) laneByPair.set(`${lane.from}|${lane.to}`, lane.leadTimeDays);

  const schedule = (p: Pending) => {
    openByIl[p.il].push(p);
    const list = arrivals.get(p.arrivalDay) ?? [];
    list.push(p);
    arrivals.set(p.arrivalDay, list);
  };
  for (let i = 0; i < n; i++) onHand[i] = ils[i].onHandAtStart;
  for (const po of dataset.openPos) {
    schedule({
      il: po.itemLocation,
      qty: po.qty,
      arrivalDay: po.dueDay,
      view: {
        kind: 'po',
        qty: po.qty,
        placedDay: start - 1,
        expectedDay: po.dueDay,
        supplierId: po.supplierId,
        initial: true,
      },
    });
  }

  let day = start;
  const view: PolicyView = {
    get day() {
      return day;
    },
    onHand,
    backorders,
    openOrders: (il) => openByIl[il].map((p) => p.view),
    receipts,
    history: (il) => ils[il].demand.subarray(0, day + 1),
  };

  const classKeys = [...new Set(ils.map((il) => il.serviceTarget))].sort();
  const classDemand = new Map<number, number>();
  const classServed = new Map<number, number>();
  let demandTotal = 0;
  let servedTotal = 0;
  let revenueDemand = 0;
  let revenueServed = 0;
  let tierADemand = 0;
  let tierAServed = 0;
  let stockoutDays = 0;
  let valueSum = 0;
  let purchaseOrders = 0;
  let transfers = 0;
  let violations = 0;
  let rejected = 0;
  let reviewActions = 0;
  const decisions: DecisionRow[] = [];
  const rankings: RankingLogRow[] = [];
  const snapshotRows: { day: number; rows: RankingLogRow[] }[] = [];

  for (day = start; day < end; day++) {
    const arriving = arrivals.get(day);
    if (arriving) {
      for (const p of arriving) {
        onHand[p.il] += p.qty;
        const list = openByIl[p.il];
        list.splice(list.indexOf(p), 1);
        if (p.view.kind === 'po' && !p.view.initial && p.view.supplierId !== undefined) {
          receipts.push({
            supplierId: p.view.supplierId,
            placedDay: p.view.placedDay,
            receivedDay: day,
            quotedDueDay: p.view.expectedDay,
          });
        }
      }
      arrivals.delete(day);
    }
    for (let i = 0; i < n; i++) {
      const il = ils[i];
      if (backorders[i] > 0 && onHand[i] > 0) {
        const s = Math.min(onHand[i], backorders[i]);
        onHand[i] -= s;
        backorders[i] -= s;
      }
      const d = il.demand[day];
      if (d > 0) {
        const served = Math.min(onHand[i], d);
        onHand[i] -= served;
        if (served < d) {
          stockoutDays++;
          if (!options.lostSales) backorders[i] += d - served;
        }
        demandTotal += d;
        servedTotal += served;
        revenueDemand += d * il.item.unitPrice;
        revenueServed += served * il.item.unitPrice;
        tierADemand += d * il.tierShares.a;
        tierAServed += served * il.tierShares.a;
        classDemand.set(il.serviceTarget, (classDemand.get(il.serviceTarget) ?? 0) + d);
        classServed.set(il.serviceTarget, (classServed.get(il.serviceTarget) ?? 0) + served);
      }
    }

    if (options.rankings && (day - start) % 7 === 0) {
      const ranked = policy.rank(view).slice();
      ranked.sort((a, b) => b.pStockout - a.pStockout || b.score - a.score || a.il - b.il);
      const seen = new Set<number>();
      const rows: RankingLogRow[] = [];
      for (const r of ranked) {
        if (seen.has(r.il)) continue;
        seen.add(r.il);
        const il = ils[r.il];
        const quotedLt = quoted.get(il.item.supplierId) ?? 7;
        rows.push({
          day,
          rank: rows.length + 1,
          itemId: il.itemId,
          locationId: il.locationId,
          pStockout: r.pStockout,
          score: r.score,
          label7: doNothingShortage(il.demand, onHand[r.il], backorders[r.il], openByIl[r.il], day, 7, end),
          labelLeadTime: doNothingShortage(
            il.demand,
            onHand[r.il],
            backorders[r.il],
            openByIl[r.il],
            day,
            Math.max(1, Math.round(quotedLt)),
            end,
          ),
        });
      }
      snapshotRows.push({ day, rows });
      if (options.keepLogs) rankings.push(...rows);
    }

    for (const decision of policy.decide(view)) {
      const target = ils[decision.il];
      if (decision.confidence !== undefined && decision.confidence < options.reviewThreshold) reviewActions++;
      if (!(decision.qty > 0)) continue;
      if (decision.kind === 'po') {
        const supplier = target.item.supplierId;
        const draws = dataset.leadTimeDraws.get(supplier);
        const cursor = drawCursor.get(supplier) ?? 0;
        const lt =
          draws && draws.length > 0 ? draws[cursor % draws.length] : Math.round(quoted.get(supplier) ?? 30);
        drawCursor.set(supplier, cursor + 1);
        const pack = target.item.packSize;
        if (decision.qty < target.item.moq || decision.qty % pack !== 0) violations++;
        purchaseOrders++;
        schedule({
          il: decision.il,
          qty: decision.qty,
          arrivalDay: day + Math.max(1, lt),
          view: {
            kind: 'po',
            qty: decision.qty,
            placedDay: day,
            expectedDay: day + Math.round(quoted.get(supplier) ?? 30),
            supplierId: supplier,
            initial: false,
          },
        });
        if (options.keepLogs)
          decisions.push({
            day,
            kind: 'po',
            itemId: target.itemId,
            locationId: target.locationId,
            qty: decision.qty,
            supplierId: supplier,
            fromLocationId: '',
          });
      } else {
        const donor = decision.fromIl !== undefined ? ils[decision.fromIl] : undefined;
        const laneLt = donor ? laneByPair.get(`${donor.locationId}|${target.locationId}`) : undefined;
        if (options.keepLogs)
          decisions.push({
            day,
            kind: 'transfer',
            itemId: target.itemId,
            locationId: target.locationId,
            qty: decision.qty,
            supplierId: '',
            fromLocationId: donor?.locationId ?? '',
          });
        if (
          !donor ||
          decision.fromIl === undefined ||
          donor.itemId !== target.itemId ||
          laneLt === undefined ||
          onHand[decision.fromIl] < decision.qty
        ) {
          rejected++;
          continue;
        }
        onHand[decision.fromIl] -= decision.qty;
        transfers++;
        const arrivalDay = day + Math.max(1, laneLt);
        schedule({
          il: decision.il,
          qty: decision.qty,
          arrivalDay,
          view: {
            kind: 'transfer',
            qty: decision.qty,
            placedDay: day,
            expectedDay: arrivalDay,
            initial: false,
          },
        });
      }
    }

    let value = 0;
    for (let i = 0; i < n; i++) value += onHand[i] * ils[i].item.unitCost;
    valueSum += value;
  }

  const evalDays = Math.max(1, end - start);
  const ranking = rankingMetrics(snapshotRows, n);
  return {
    policy: policy.name,
    parameters: policy.parameters,
    lostSales: options.lostSales,
    decisions,
    rankings,
    metrics: {
      unitFillRate: ratio(servedTotal, demandTotal),
      revenueWeightedFillRate: ratio(revenueServed, revenueDemand),
      tierAFillRate: ratio(tierAServed, tierADemand),
      stockoutDays,
      averageOnHandValue: valueSum / evalDays,
      purchaseOrders,
      transfers,
      moqOrPackViolations: violations,
      rejectedTransfers: rejected,
      reviewActionsPerWeek: reviewActions / (evalDays / 7),
      byServiceClass: classKeys.map((target) => ({
        target,
        itemLocations: ils.filter((il) => il.serviceTarget === target).length,
        demand: classDemand.get(target) ?? 0,
        fillRate: ratio(classServed.get(target) ?? 0, classDemand.get(target) ?? 0),
      })),
      ranking,
    },
  };
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 1;
}

/** Do-nothing counterfactual: is any day in t+1..t+h short on its own demand? */
export function doNothingShortage(
  demand: Float64Array,
  onHand: number,
  backorders: number,
  pending: readonly Pending[],
  day: number,
  horizon: number,
  end: number,
): boolean {
  let stock = onHand;
  let owed = backorders;
  for (let t = day + 1; t <= day + horizon && t < end; t++) {
    for (const p of pending) if (p.arrivalDay === t) stock += p.qty;
    const fromBacklog = Math.min(stock, owed);
    stock -= fromBacklog;
    owed -= fromBacklog;
    const d = demand[t];
    if (d > 0) {
      if (stock < d) return true;
      stock -= d;
    }
  }
  return false;
}

function rankingMetrics(
  snapshots: { day: number; rows: RankingLogRow[] }[],
  itemLocations: number,
): SimulationMetrics['ranking'] {
  const k1 = Math.max(1, Math.round(itemLocations * 0.01));
  const k5 = Math.max(1, Math.round(itemLocations * 0.05));
  let p1 = 0;
  let p5 = 0;
  let p1lt = 0;
  let p5lt = 0;
  let positives = 0;
  let total = 0;
  const binCount = new Float64Array(10);
  const binProb = new Float64Array(10);
  const binHits = new Float64Array(10);
  for (const snap of snapshots) {
    p1 += precisionAt(snap.rows, k1, (r) => r.label7);
    p5 += precisionAt(snap.rows, k5, (r) => r.label7);
    p1lt += precisionAt(snap.rows, k1, (r) => r.labelLeadTime);
    p5lt += precisionAt(snap.rows, k5, (r) => r.labelLeadTime);
    for (const r of snap.rows) {
      const b = Math.min(9, Math.floor(r.pStockout * 10));
      binCount[b]++;
      binProb[b] += r.pStockout;
      if (r.label7) {
        binHits[b]++;
        positives++;
      }
      total++;
    }
  }
  let ece = 0;
  for (let b = 0; b < 10; b++)
    if (binCount[b] > 0)
      ece +=
        (binCount[b] / Math.max(1, total)) * Math.abs(binProb[b] / binCount[b] - binHits[b] / binCount[b]);
  const s = Math.max(1, snapshots.length);
  return {
    snapshots: snapshots.length,
    precisionAt1pct7d: p1 / s,
    precisionAt5pct7d: p5 / s,
    precisionAt1pctLeadTime: p1lt / s,
    precisionAt5pctLeadTime: p5lt / s,
    ece7d: ece,
    positiveRate7d: total > 0 ? positives / total : 0,
  };
}

/** Precision@k divides by k even when the list is shorter (BACKTEST.md). */
export function precisionAt<T>(rows: readonly T[], k: number, positive: (row: T) => boolean): number {
  let hits = 0;
  for (let i = 0; i < Math.min(k, rows.length); i++) if (positive(rows[i])) hits++;
  return hits / k;
}

/**
 * The engine wired to its data: loads the network (canonical rows and the compact demand
 * history), runs the network recompute in batches, turns each item-location into its
 * recommendations (or the reason it gets none) and hands them to the store, which replaces what
 * it held for those item-locations. A full recompute then sweeps what no longer applies; the
 * incremental path touches only the item-locations an event names.
 */
import { allocateResult, recomputeRange } from '../network-engine';
import {
  DEFAULT_PLANNING_CONFIG,
  PlanningIndex,
  buildNetworkInput,
  dayOf,
  isoOf,
  keyString,
  type PlannedRow,
  type PlanningConfig,
} from './planning-network';
import { allocationDraft, sourcingReviewDraft, transferDrafts } from './network-drafts';
import { draftsFor } from './recommendation-drafts';
import type {
  DataQualityHoldSource,
  DemandSeriesView,
  DemandSource,
  ItemLocationKey,
  PlanningSource,
  RecommendationDraft,
  RecommendationSink,
  WithheldDraft,
} from './ports';

export interface RecomputePorts {
  planning: PlanningSource;
  demand: DemandSource;
  recommendations: RecommendationSink;
  /** Item-locations the data-quality gate holds back; none when absent. */
  holds?: DataQualityHoldSource;
}

export interface RecomputeOptions {
  /** `event`, `schedule`, `manual`: stored with each recommendation. */
  trigger: string;
  /** Planning day (ISO date); default today (UTC) from the clock. */
  asOf?: string;
}

export interface RecomputeOutcome {
  asOf: string;
  itemLocations: number;
  recommendations: number;
  byKind: Record<string, number>;
  withheld: number;
  withheldByReason: Record<string, number>;
  seconds: number;
}

export class RecomputeRecommendations {
  constructor(
    private readonly ports: RecomputePorts,
    private readonly config: PlanningConfig = DEFAULT_PLANNING_CONFIG,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Every item-location with demand history, a balance or an open order. */
  async recomputeAll(options: RecomputeOptions): Promise<RecomputeOutcome> {
    const started = this.clock();
    const asOfDay = this.asOfDay(options);
    await this.ports.demand.compact?.();
    const index = await this.index(asOfDay);
    const outcome = this.emptyOutcome(asOfDay);
    const seen = new Set<string>();
    let batch: { key: ItemLocationKey; series?: DemandSeriesView }[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const current = batch;
      batch = [];
      await this.run(index, current, asOfDay, started, options.trigger, outcome);
    };
    await this.ports.demand.readAll(async (series) => {
      seen.add(keyString(series.sku, series.locationCode));
      // Values may be reused once the callback returns: keep only the window the forecast reads.
      const firstDay = Math.max(series.firstDay, asOfDay - this.config.historyDays);
      const offset = firstDay - series.firstDay;
      const length = Math.max(0, Math.min(series.values.length - offset, asOfDay - firstDay));
      const values = new Float64Array(length);
      for (let d = 0; d < length; d++) values[d] = series.values[offset + d];
      batch.push({
        key: { sku: series.sku, locationCode: series.locationCode },
        series: { ...series, firstDay, values },
      });
      if (batch.length >= this.config.batchSize) await flush();
    });
    for (const key of index.itemLocations()) {
      if (seen.has(keyString(key.sku, key.locationCode))) continue;
      batch.push({ key });
      if (batch.length >= this.config.batchSize) await flush();
    }
    await flush();
    await this.ports.recommendations.sweepOlderThan(started);
    outcome.seconds = (this.clock().getTime() - started.getTime()) / 1000;
    return outcome;
  }

  /** Only the named item-locations (after an inventory, purchase-order or inbound event). */
  async recomputeItemLocations(
    keys: readonly ItemLocationKey[],
    options: RecomputeOptions,
  ): Promise<RecomputeOutcome> {
    const started = this.clock();
    const asOfDay = this.asOfDay(options);
    const unique = [
      ...new Map(
        keys.map((k) => [keyString(k.sku, k.locationCode), { sku: k.sku, locationCode: k.locationCode }]),
      ).values(),
    ];
    const outcome = this.emptyOutcome(asOfDay);
    if (unique.length === 0) return outcome;
    await this.ports.demand.compact?.();
    const index = await this.index(asOfDay, [...new Set(unique.map((k) => k.sku))]);
    for (let start = 0; start < unique.length; start += this.config.batchSize) {
      const part = unique.slice(start, start + this.config.batchSize);
      const series = await this.ports.demand.readMany(part);
      await this.run(
        index,
        part.map((key) => ({ key, series: series.get(keyString(key.sku, key.locationCode)) })),
        asOfDay,
        started,
        options.trigger,
        outcome,
      );
    }
    outcome.seconds = (this.clock().getTime() - started.getTime()) / 1000;
    return outcome;
  }

  private asOfDay(options: RecomputeOptions): number {
    const day = options.asOf !== undefined ? dayOf(options.asOf) : dayOf(this.clock().toISOString());
    if (!Number.isFinite(day)) throw new Error(`recompute: asOf "${options.asOf ?? ''}" is not an ISO date`);
    return day;
  }

  private async index(asOfDay: number, skus?: string[]): Promise<PlanningIndex> {
    const snapshot = await this.ports.planning.snapshot({
      ...(skus ? { skus } : {}),
      receiptsSince: isoOf(asOfDay - this.config.historyDays),
    });
    const holds = this.ports.holds ? await this.ports.holds.activeHolds() : [];
    return new PlanningIndex(snapshot, holds, this.config);
  }

  private emptyOutcome(asOfDay: number): RecomputeOutcome {
    return {
      asOf: isoOf(asOfDay),
      itemLocations: 0,
      recommendations: 0,
      byKind: {},
      withheld: 0,
      withheldByReason: {},
      seconds: 0,
    };
  }

  /**
   * Planned rows for the other locations of the batch's items (held or unplannable ones are left
   * out: they cannot give stock), with their demand series read from the store.
   */
  private async siblings(
    index: PlanningIndex,
    batch: readonly { key: ItemLocationKey }[],
    rows: readonly PlannedRow[],
    asOfDay: number,
    histories: Map<PlannedRow, DemandSeriesView>,
  ): Promise<PlannedRow[]> {
    const inBatch = new Set(batch.map((b) => keyString(b.key.sku, b.key.locationCode)));
    const keys: ItemLocationKey[] = [];
    for (const sku of new Set(rows.map((r) => r.sku)))
      for (const locationCode of index.locationsOf(sku))
        if (!inBatch.has(keyString(sku, locationCode))) keys.push({ sku, locationCode });
    if (keys.length === 0) return [];
    const context: PlannedRow[] = [];
    for (const key of keys) {
      const planned = index.plan(key, asOfDay);
      if ('row' in planned) context.push(planned.row);
    }
    if (context.length === 0) return [];
    const series = await this.ports.demand.readMany(
      context.map((r) => ({ sku: r.sku, locationCode: r.locationCode })),
    );
    for (const row of context) {
      const s = series.get(keyString(row.sku, row.locationCode));
      if (s) histories.set(row, s);
    }
    return context;
  }

  private async run(
    index: PlanningIndex,
    batch: readonly { key: ItemLocationKey; series?: DemandSeriesView }[],
    asOfDay: number,
    computedAt: Date,
    trigger: string,
    outcome: RecomputeOutcome,
  ): Promise<void> {
    const rows: PlannedRow[] = [];
    const histories = new Map<PlannedRow, DemandSeriesView>();
    const withheld: WithheldDraft[] = [];
    for (const { key, series } of batch) {
      const planned = index.plan(key, asOfDay);
      if ('withheld' in planned) {
        withheld.push(planned.withheld);
        continue;
      }
      rows.push(planned.row);
      if (series) histories.set(planned.row, series);
    }
    const drafts: RecommendationDraft[] = [];
    if (rows.length > 0) {
      // The item's other locations are computed alongside (not written) so transfers can draw on them.
      const context = await this.siblings(index, batch, rows, asOfDay, histories);
      const all = [...rows, ...context];
      const input = buildNetworkInput(all, (row) => histories.get(row), asOfDay, this.config.historyDays);
      const out = allocateResult(all.length);
      recomputeRange(input, out, 0, all.length, this.config.network);
      const planned = new Set<number>();
      rows.forEach((row, i) => {
        const result = draftsFor(input, out, i, row, asOfDay, this.config);
        drafts.push(...result.drafts);
        if (result.withheld) {
          withheld.push(result.withheld);
          return;
        }
        planned.add(i);
        const allocation = allocationDraft(out, i, row, asOfDay, this.config);
        if (allocation) drafts.push(allocation);
        const sourcing = sourcingReviewDraft(
          out,
          i,
          row,
          index.sourcingEvidence(row.supplier),
          asOfDay,
          this.config,
        );
        if (sourcing) drafts.push(sourcing);
      });
      const receivers = new Set([...planned].map((i) => keyString(rows[i].sku, rows[i].locationCode)));
      for (const transfer of transferDrafts(input, out, all, rows.length, asOfDay, this.config))
        if (receivers.has(keyString(transfer.sku, transfer.locationCode))) drafts.push(transfer);
    }
    await this.ports.recommendations.replace(
      batch.map((b) => b.key),
      drafts,
      withheld,
      { computedAt, trigger },
    );
    outcome.itemLocations += batch.length;
    outcome.recommendations += drafts.length;
    for (const d of drafts) outcome.byKind[d.kind] = (outcome.byKind[d.kind] ?? 0) + 1;
    outcome.withheld += withheld.length;
    for (const w of withheld)
      outcome.withheldByReason[w.reasonCode] = (outcome.withheldByReason[w.reasonCode] ?? 0) + 1;
  }
}

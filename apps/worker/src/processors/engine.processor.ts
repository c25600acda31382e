import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { RecomputeRecommendations, type ItemLocationKey, type RecomputeOutcome } from '@crossdock/engine';
import {
  JOB_NAMES,
  QUEUES,
  type EngineJobPayload,
  type JobContext,
  type QueuePort,
  QUEUE_PORT,
  replaceRepeatable,
} from '@crossdock/queue';
import { PERSISTENCE } from '@crossdock/apps-common';
import type { Persistence } from '@crossdock/persistence';

/** The scheduled full recompute on the `engine` queue (event-driven jobs are `engine-recompute`). */
export const ENGINE_FULL_RECOMPUTE_JOB = 'engine-full-recompute';
/** Nightly, after the usual overnight extracts (UTC). */
export const ENGINE_FULL_RECOMPUTE_CRON = '15 2 * * *';

/** Refuses a payload that does not name item-locations, naming what is wrong. */
export function itemLocationsOf(payload: unknown): ItemLocationKey[] {
  const list = (payload as Partial<EngineJobPayload> | null)?.itemLocations;
  if (!Array.isArray(list)) throw new Error('engine-recompute payload: itemLocations must be an array');
  return list.map((ref: unknown, i) => {
    const r = ref as Partial<ItemLocationKey> | null;
    if (
      typeof r?.sku !== 'string' ||
      typeof r.locationCode !== 'string' ||
      r.sku === '' ||
      r.locationCode === ''
    )
      throw new Error(`engine-recompute payload: itemLocations[${i}] needs a sku and a locationCode`);
    return { sku: r.sku, locationCode: r.locationCode };
  });
}

/**
 * Consumes the `engine` queue: an inventory or purchase-order event re-scores only the
 * item-locations it names; the repeatable full recompute re-scores everything and sweeps what no
 * longer applies. One engine job at a time per process.
 */
@Injectable()
export class EngineProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger('engine');
  readonly useCase: RecomputeRecommendations;

  constructor(
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    @Inject(PERSISTENCE) persistence: Persistence,
  ) {
    this.useCase = new RecomputeRecommendations({
      planning: persistence.planning,
      demand: persistence.demand,
      recommendations: persistence.recommendations,
      holds: persistence.dqHolds,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.queue.process<unknown, RecomputeOutcome>(QUEUES.engine, (job) => this.handle(job), 1);
    // A schedule from an earlier version of the pattern is withdrawn, not left running beside it.
    await replaceRepeatable(
      this.queue,
      QUEUES.engine,
      ENGINE_FULL_RECOMPUTE_JOB,
      {},
      {
        cron: ENGINE_FULL_RECOMPUTE_CRON,
      },
    );
  }

  async handle(job: JobContext<unknown>): Promise<RecomputeOutcome> {
    let outcome: RecomputeOutcome;
    if (job.name === ENGINE_FULL_RECOMPUTE_JOB) {
      outcome = await this.useCase.recomputeAll({ trigger: 'schedule' });
    } else if (job.name === JOB_NAMES.engineRecompute) {
      outcome = await this.useCase.recomputeItemLocations(itemLocationsOf(job.payload), { trigger: 'event' });
    } else {
      throw new Error(`engine queue: unknown job name "${job.name}"`);
    }
    this.logger.log(
      `${job.name}: ${outcome.itemLocations} item-locations, ${outcome.recommendations} recommendations, ` +
        `${outcome.withheld} withheld, ${outcome.seconds.toFixed(2)} s`,
    );
    return outcome;
  }
}

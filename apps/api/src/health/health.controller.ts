import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '@crossdock/config';
import type { Persistence } from '@crossdock/persistence';
import { QUEUE_PORT, type QueuePort } from '@crossdock/queue';
import { PERSISTENCE } from '@crossdock/apps-common';

const PROBE_TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS).unref()),
  ]);
}

/** Liveness of what the API depends on: the database always, Redis when the queues run on it. */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(PERSISTENCE) private readonly persistence: Persistence,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOkResponse({ description: 'every dependency answers' })
  @ApiServiceUnavailableResponse({ description: 'a dependency is down; the body names it' })
  check() {
    const checks = [() => this.database()];
    if (this.config.redisUrl) checks.push(() => this.redis());
    return this.health.check(checks);
  }

  private async database(): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('database');
    try {
      await withTimeout(this.persistence.dataSource.query('SELECT 1'), 'database');
      return session.up({ driver: this.config.database.kind });
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async redis(): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('redis');
    try {
      await withTimeout(this.queue.ping(), 'redis');
      return session.up();
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}

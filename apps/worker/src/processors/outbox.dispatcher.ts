import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SYNC_SERVICES, type SyncServices } from '@crossdock/sync';

const SWEEP_INTERVAL_MS = 5000;
/** Messages younger than this are still being dispatched by their own transaction's after-commit hook. */
const GRACE_MS = 10_000;

/**
 * Recovers outbox messages whose after-commit dispatch never ran (the process died between the
 * commit and the enqueue): they are sent again; job ids make the second send a no-op.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('outbox');
  private timer?: NodeJS.Timeout;
  private sweeping = false;

  constructor(@Inject(SYNC_SERVICES) private readonly sync: SyncServices) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      const sent = await this.sync.relay.dispatchPending(100, GRACE_MS);
      if (sent > 0) this.logger.log(`re-dispatched ${sent} outbox message(s)`);
      return sent;
    } catch (error) {
      this.logger.error(`outbox sweep failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    } finally {
      this.sweeping = false;
    }
  }
}

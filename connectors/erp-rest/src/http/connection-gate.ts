/**
 * Per-connection limits shared by every run that talks to the same ERP: at most `maxConcurrency`
 * requests in flight and at most `requestsPerSecond` started per second (token bucket). ERPs
 * throttle per user or tenant, so two sync jobs on one connection must share one gate.
 */
export interface GateLimits {
  maxConcurrency: number;
  requestsPerSecond: number;
}

export class ConnectionGate {
  private inFlight = 0;
  private peakInFlight = 0;
  private tokens: number;
  private lastRefill: number;
  private readonly waiters: (() => void)[] = [];
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly limits: GateLimits,
    private readonly clock: () => number = Date.now,
  ) {
    if (!(limits.maxConcurrency >= 1)) throw new RangeError('maxConcurrency must be at least 1');
    if (!(limits.requestsPerSecond > 0)) throw new RangeError('requestsPerSecond must be positive');
    this.tokens = Math.max(1, limits.requestsPerSecond);
    this.lastRefill = clock();
  }

  get active(): number {
    return this.inFlight;
  }

  /** Highest number of requests that were in flight at once. */
  get peak(): number {
    return this.peakInFlight;
  }

  /** Stops starting requests until `until` (epoch ms): a 429 throttles the whole connection. */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.pump();
    });
  }

  private release(): void {
    this.inFlight -= 1;
    this.pump();
  }

  private refill(now: number): void {
    const capacity = Math.max(1, this.limits.requestsPerSecond);
    this.tokens = Math.min(
      capacity,
      this.tokens + ((now - this.lastRefill) / 1000) * this.limits.requestsPerSecond,
    );
    this.lastRefill = now;
  }

  private pump(): void {
    while (this.waiters.length > 0 && this.inFlight < this.limits.maxConcurrency) {
      const now = this.clock();
      if (now < this.pausedUntil) return this.wake(this.pausedUntil - now);
      this.refill(now);
      if (this.tokens < 1) return this.wake(((1 - this.tokens) / this.limits.requestsPerSecond) * 1000);
      this.tokens -= 1;
      this.inFlight += 1;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      this.waiters.shift()!();
    }
  }

  private wake(afterMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, Math.ceil(afterMs)),
    );
    this.timer.unref();
  }
}

const gates = new Map<string, ConnectionGate>();

/** The gate of a connection, shared in this process; limits change only with a new gate. */
export function gateFor(connectionName: string, limits: GateLimits): ConnectionGate {
  const existing = gates.get(connectionName);
  if (
    existing &&
    existing.limits.maxConcurrency === limits.maxConcurrency &&
    existing.limits.requestsPerSecond === limits.requestsPerSecond
  ) {
    return existing;
  }
  const gate = new ConnectionGate(limits);
  gates.set(connectionName, gate);
  return gate;
}

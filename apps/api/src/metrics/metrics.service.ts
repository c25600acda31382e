import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One registry per process, so tests that build several apps never share counters. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  private readonly collectors: (() => Promise<void>)[] = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'crossdock_' });
    this.httpRequests = new Counter({
      name: 'crossdock_http_requests_total',
      help: 'HTTP requests by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'crossdock_http_request_duration_seconds',
      help: 'HTTP request duration by method and route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
  }

  /** Gauges read from the store at scrape time register a refresh callback here. */
  onScrape(collect: () => Promise<void>): void {
    this.collectors.push(collect);
  }

  async render(): Promise<string> {
    await Promise.all(this.collectors.map((collect) => collect()));
    return this.registry.metrics();
  }
}

import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const stop = this.metrics.httpDuration.startTimer();
    response.on('finish', () => {
      // The route pattern, not the raw URL, keeps label cardinality bounded.
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const labels = { method: request.method, route: `${request.baseUrl}${route}` };
      stop(labels);
      this.metrics.httpRequests.inc({ ...labels, status: String(response.statusCode) });
    });
    next();
  }
}

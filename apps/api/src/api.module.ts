import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { pinoRedactPaths, type AppConfig } from '@crossdock/config';
import { LoggerModule } from 'nestjs-pino';
import { CoreModule } from '@crossdock/apps-common';
import { ConnectionsController } from './connections/connections.controller';
import { DqController, ReferenceTablesController } from './dq/dq.controller';
import { EdiAlertsController } from './edi/edi-alerts.controller';
import { EdiChainController } from './edi/edi-chain.controller';
import { EdiOutboundController } from './edi/edi-outbound.controller';
import { EdiQuarantineController } from './edi/edi-quarantine.controller';
import { EdiPartnersController } from './edi/edi-partners.controller';
import { HealthController } from './health/health.controller';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { RecommendationsController } from './recommendations/recommendations.controller';
import { SyncController } from './sync/sync.controller';

@Module({})
export class ApiModule implements NestModule {
  /** `extraImports`: the embedded mode adds the worker's processors to the same process. */
  static forRoot(config: AppConfig, extraImports: DynamicModule['imports'] = []): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Secrets never reach a log line, whatever object they travel in.
            redact: { paths: pinoRedactPaths(), censor: '[redacted]' },
            customProps: () => ({ service: 'api' }),
          },
        }),
        CoreModule.forRoot({ config }),
        TerminusModule,
        ...extraImports,
      ],
      controllers: [
        HealthController,
        MetricsController,
        ConnectionsController,
        SyncController,
        RecommendationsController,
        DqController,
        ReferenceTablesController,
        EdiPartnersController,
        EdiAlertsController,
        EdiChainController,
        EdiOutboundController,
        EdiQuarantineController,
      ],
      providers: [MetricsService, HttpMetricsMiddleware],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }
}

import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@crossdock/config';
import type { DynamicModule } from '@nestjs/common';
import { ApiModule } from './api.module';
import { ApiErrorFilter } from './http/error.filter';
import { createValidationPipe } from './http/validation';

/** Builds the HTTP application (not listening yet), shared by `main.ts`, the demo and the e2e tests. */
export async function createApiApplication(
  config: AppConfig,
  extraImports: DynamicModule['imports'] = [],
): Promise<INestApplication> {
  const app = await NestFactory.create(ApiModule.forRoot(config, extraImports), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiErrorFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Crossdock API')
      .setDescription('Connectors, connections, sync jobs and runs, health and metrics')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

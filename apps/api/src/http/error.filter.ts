import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { UnknownConnectorKindError } from '@crossdock/connector-sdk';
import { InputError, type InputIssue } from '@crossdock/domain';
import type { ApiErrorBody } from './api-error';

function issuesOf(body: unknown): InputIssue[] {
  if (typeof body === 'object' && body !== null && 'issues' in body && Array.isArray(body.issues)) {
    return body.issues as InputIssue[];
  }
  return [];
}

function messageOf(body: unknown, fallback: string): string {
  if (typeof body === 'string') return body;
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const message = body.message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.map(String).join('; ');
  }
  return fallback;
}

/** Maps every thrown error to `ApiErrorBody`; unexpected errors are logged, never leaked. */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    let status = HttpStatus.INTERNAL_SERVER_ERROR;
    let message = 'internal error';
    let issues: InputIssue[] = [];

    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      message = messageOf(body, exception.message);
      issues = issuesOf(body);
    } else if (exception instanceof InputError) {
      status = HttpStatus.UNPROCESSABLE_ENTITY;
      message = 'input rejected';
      issues = exception.issues;
    } else if (exception instanceof UnknownConnectorKindError) {
      status = HttpStatus.UNPROCESSABLE_ENTITY;
      message = exception.message;
      issues = [{ code: 'UNKNOWN_CONNECTOR_KIND', message: exception.message, place: { field: 'kind' }, severity: 'error' }];
    } else {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }

    const body: ApiErrorBody = {
      statusCode: status,
      error: HttpStatus[status] ?? 'ERROR',
      message,
      issues,
      path: request.url,
      timestamp: new Date().toISOString(),
    };
    response.status(status).json(body);
  }
}

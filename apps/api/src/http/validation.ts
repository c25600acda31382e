import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { InputIssue } from '@crossdock/domain';

/** Flattens nested class-validator errors into issues naming the dotted field path. */
export function validationIssues(errors: ValidationError[], parent = ''): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      issues.push({
        code: constraint === 'whitelistValidation' ? 'UNKNOWN_FIELD' : `INVALID_${constraint.toUpperCase()}`,
        message,
        place: { field },
        severity: 'error',
      });
    }
    issues.push(...validationIssues(error.children ?? [], field));
  }
  return issues;
}

export class RequestValidationError extends BadRequestException {
  constructor(readonly issues: InputIssue[]) {
    super({ message: 'request validation failed', issues });
  }
}

/** Whitelist + forbidNonWhitelisted: an unknown field is an error, never silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(validationIssues(errors)),
  });
}

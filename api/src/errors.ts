/**
 * Domain errors: services throw these; the GraphQL layer turns them into typed result members (mutations) or
 * errors carrying `extensions.code` (queries). They are GraphQLErrors so their message is never masked.
 */
import { GraphQLError } from 'graphql';

export abstract class DomainError extends GraphQLError {
  readonly code: string;
  constructor(code: string, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.code = code;
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

export class ValidationError extends DomainError {
  readonly issues: FieldIssue[];
  constructor(message: string, issues: FieldIssue[] = []) {
    super('VALIDATION_FAILED', message, { issues });
    this.issues = issues;
  }
}

export class NotFoundError extends DomainError {
  readonly entity: string;
  readonly id: string;
  constructor(entity: string, id: string) {
    super('NOT_FOUND', `${entity} ${id} not found`);
    this.entity = entity;
    this.id = id;
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message: string) {
    super('UNAUTHENTICATED', message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

export class QuotaExceededError extends DomainError {
  readonly limit: string;
  readonly max: number;
  constructor(limit: string, max: number) {
    super('QUOTA_EXCEEDED', `quota exceeded: ${limit} is limited to ${max} for this organization`, { limit, max });
    this.limit = limit;
    this.max = max;
  }
}

/** A target database refused or could not be reached; `message` is the database's own, never with credentials. */
export class ConnectionFailedError extends DomainError {
  readonly kind: string;
  constructor(message: string, kind: string) {
    super('CONNECTION_FAILED', message, { kind });
    this.kind = kind;
  }
}

/** Too many attempts; try again after `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('RATE_LIMITED', message, { retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

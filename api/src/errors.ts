/**
 * Domain errors: services throw these; the GraphQL layer turns them into typed result members (mutations) or
 * errors carrying `extensions.code` (queries). They are GraphQLErrors so their message is never masked.
 */
import { GraphQLError } from 'graphql';

export abstract class DomainError extends GraphQLError {
  constructor(
    readonly code: string,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

export class ValidationError extends DomainError {
  constructor(message: string, readonly issues: FieldIssue[] = []) {
    super('VALIDATION_FAILED', message, { issues });
  }
}

export class NotFoundError extends DomainError {
  constructor(readonly entity: string, readonly id: string) {
    super('NOT_FOUND', `${entity} ${id} not found`);
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
  constructor(readonly limit: string, readonly max: number) {
    super('QUOTA_EXCEEDED', `quota exceeded: ${limit} is limited to ${max} for this organization`, { limit, max });
  }
}

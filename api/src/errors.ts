/**
 * Domain errors: services throw these; the GraphQL layer turns them into typed result members (mutations) or
 * errors carrying `extensions.code` (queries). They are GraphQLErrors so their message is never masked.
 */
import { GraphQLError } from 'graphql';

export abstract class DomainError extends GraphQLError {
  abstract readonly code: string;
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions });
  }
  override toJSON() {
    return { ...super.toJSON(), extensions: { ...this.extensions, code: this.code } };
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(message: string, readonly issues: FieldIssue[] = []) {
    super(message, { issues });
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(readonly entity: string, readonly id: string) {
    super(`${entity} ${id} not found`);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
}

export class QuotaExceededError extends DomainError {
  readonly code = 'QUOTA_EXCEEDED';
  constructor(readonly limit: string, readonly max: number) {
    super(`quota exceeded: ${limit} is limited to ${max} for this organization`, { limit, max });
  }
}

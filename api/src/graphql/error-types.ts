/** The one place domain errors become GraphQL types: an `Error` interface and one object type per class. */
import {
  ConflictError,
  RateLimitedError,
  ConnectionFailedError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  QuotaExceededError,
  UnauthenticatedError,
  ValidationError,
} from '../errors.ts';
import { QueryRejectedError } from '../modules/requests/classify.ts';
import { builder } from './builder.ts';

export function defineErrorTypes(): void {
  const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
    description: 'Every typed error a mutation can return. `code` is stable; `message` is for people.',
    fields: (t) => ({
      message: t.exposeString('message'),
      code: t.exposeString('code'),
    }),
  });

  const FieldIssue = builder.simpleObject('FieldIssue', {
    fields: (t) => ({ path: t.string(), message: t.string() }),
  });

  builder.objectType(ValidationError, {
    name: 'ValidationError',
    description: 'The input was rejected; nothing was changed. `issues` names each offending field.',
    interfaces: [ErrorInterface],
    isTypeOf: (value) => value instanceof ValidationError,
    fields: (t) => ({ issues: t.field({ type: [FieldIssue], resolve: (error) => error.issues }) }),
  });
  builder.objectType(NotFoundError, {
    name: 'NotFound',
    description: 'No such object in your organization.',
    interfaces: [ErrorInterface],
    isTypeOf: (value) => value instanceof NotFoundError,
    fields: (t) => ({ entity: t.exposeString('entity'), id: t.exposeString('id') }),
  });
  for (const [cls, name, description] of [
    [ForbiddenError, 'Forbidden', 'You may not do this, whatever the input.'],
    [ConflictError, 'Conflict', 'The change clashes with the current state (a duplicate name, setup already done, …).'],
    [UnauthenticatedError, 'Unauthenticated', 'The credentials were missing, wrong, expired or revoked.'],
  ] as const) {
    builder.objectType(cls, {
      name,
      description,
      interfaces: [ErrorInterface],
      isTypeOf: (value) => value instanceof cls,
      fields: () => ({}),
    });
  }
  builder.objectType(ConnectionFailedError, {
    name: 'ConnectionFailed',
    description: "The target database could not be reached or refused the credentials; `message` is the database's own.",
    interfaces: [ErrorInterface],
    isTypeOf: (value) => value instanceof ConnectionFailedError,
    fields: (t) => ({ kind: t.exposeString('kind', { description: 'CONNECTION, AUTHENTICATION, TIMEOUT or QUERY.' }) }),
  });
  builder.objectType(QueryRejectedError, {
    name: 'QueryRejected',
    description: 'The statement was refused before anything ran; `reason` says why (PARSE_ERROR, MULTIPLE_STATEMENTS, UNSAFE_FUNCTION …).',
    interfaces: [ErrorInterface],
    isTypeOf: (value) => value instanceof QueryRejectedError,
    fields: (t) => ({ reason: t.exposeString('reason') }),
  });
  builder.objectType(RateLimitedError, {
    name: 'RateLimited',
    description: 'Too many attempts; try again after retryAfterSeconds.',
    interfaces: [ErrorInterface],
    isTypeOf: (value) => value instanceof RateLimitedError,
    fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
  });
  builder.objectType(QuotaExceededError, {
    name: 'QuotaExceeded',
    description: "The organization's quota for this kind of object is used up.",
    interfaces: [ErrorInterface],
    isTypeOf: (value) => value instanceof QuotaExceededError,
    fields: (t) => ({ limit: t.exposeString('limit'), max: t.exposeInt('max') }),
  });
}

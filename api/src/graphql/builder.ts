/** The Pothos builder: plugins, context and scalars only. Types live in their module's `*.graphql.ts`. */
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import DirectivesPlugin from '@pothos/plugin-directives';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import SimpleObjectsPlugin from '@pothos/plugin-simple-objects';
import ValidationPlugin from '@pothos/plugin-validation';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  QuotaExceededError,
  UnauthenticatedError,
  ValidationError,
} from '../errors.ts';
import { roleHas, type Permission } from '../modules/identity/permissions.ts';
import type { RequestContext } from './context.ts';
import { InputErrorsPlugin } from './input-errors-plugin.ts';

SchemaBuilder.registerPlugin('inputErrors', InputErrorsPlugin);

export const builder = new SchemaBuilder<{
  Context: RequestContext;
  DefaultFieldNullability: false;
  AuthScopes: { public: boolean; authenticated: boolean; permission: Permission; platformAdmin: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
  Directives: {
    /** The permission a field needs (see modules/identity/permissions.ts). Clients and tests read it from the SDL. */
    auth: { locations: 'FIELD_DEFINITION'; args: { requires: string } };
    /** A field anyone may call without credentials. */
    public: { locations: 'FIELD_DEFINITION'; args: Record<string, never> };
    /**
     * Upsert input fields that identify the object the upsert adopts or creates; changing one means another
     * object (Terraform replaces the resource). The Terraform provider generator reads these from the SDL.
     */
    naturalKey: { locations: 'INPUT_FIELD_DEFINITION'; args: Record<string, never> };
    /** A secret input that no field returns; `version` names the output field that increases when it changes. */
    writeOnly: { locations: 'INPUT_FIELD_DEFINITION'; args: { version: string } };
    /** A JSON input that must be an object of string values (a map(string) in Terraform). */
    stringMap: { locations: 'INPUT_FIELD_DEFINITION'; args: Record<string, never> };
    /** Not part of what an upsert matches on, but a change means another object (Terraform replaces the resource). */
    replaceOnChange: { locations: 'INPUT_FIELD_DEFINITION'; args: Record<string, never> };
  };
}>({
  plugins: [
    ScopeAuthPlugin,
    ValidationPlugin,
    ErrorsPlugin,
    RelayPlugin,
    DataloaderPlugin,
    SimpleObjectsPlugin,
    DirectivesPlugin,
    'inputErrors',
  ],
  defaultFieldNullability: false,
  // graphql-tools' printer (schema/schema.graphql) reads directives keyed by name.
  directives: { useGraphQLToolsUnorderedDirectives: true },
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      public: true,
      authenticated: ctx.actor !== null,
      permission: (permission: Permission) => ctx.actor !== null && roleHas(ctx.actor.role, permission),
      platformAdmin: ctx.actor?.platformAdmin === true,
    }),
    unauthorizedError: (_parent, ctx, info) =>
      ctx.actor === null
        ? new UnauthenticatedError('authentication required: send Authorization: Bearer <token or API key>')
        : new ForbiddenError(`your role ${ctx.actor.role} may not use ${info.parentType.name}.${info.fieldName}`),
  },
  errors: {
    defaultTypes: [ValidationError, NotFoundError, ForbiddenError, ConflictError, QuotaExceededError],
  },
  validation: {
    validationError: (failure) =>
      new ValidationError(
        failure.issues.map((issue) => `${pathOf(issue.path)}: ${issue.message}`).join('; '),
        failure.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message })),
      ),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
});

type IssuePath = readonly (PropertyKey | { key: PropertyKey })[] | undefined;
function pathOf(path: IssuePath): string {
  return (path ?? []).map((part) => String(typeof part === 'object' ? part.key : part)).join('.') || 'input';
}

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSON', JSONResolver);

/** Field options for a field that needs `permission`: enforced by scope-auth, declared in the SDL. */
export function requires(permission: Permission | 'AUTHENTICATED' | 'PLATFORM_ADMIN') {
  const authScopes =
    permission === 'AUTHENTICATED' ? { authenticated: true } : permission === 'PLATFORM_ADMIN' ? { platformAdmin: true } : { permission };
  return { authScopes, directives: { auth: { requires: permission } } } as const;
}

/** Input field options: part of the natural key an upsert matches on (see the `naturalKey` directive). */
export const naturalKey = { directives: { naturalKey: {} } } as const;

/** Input field options: a secret never returned; `version` is the output field counting its changes. */
export function writeOnly(version: string) {
  return { directives: { writeOnly: { version } } } as const;
}

/** Input field options: a JSON object of strings. */
export const stringMap = { directives: { stringMap: {} } } as const;

/** Input field options: a change means another object (see the `replaceOnChange` directive). */
export const replaceOnChange = { directives: { replaceOnChange: {} } } as const;

/** Field options for a field open to anonymous callers (first-run setup, sign-in). */
export function publicField() {
  return { authScopes: { public: true }, directives: { public: {} } } as const;
}

/**
 * Pothos runs argument validation (the validation plugin's arg mappers) before any resolver wrapper, so on its
 * own it would (a) validate input before scope-auth has checked the caller, telling an anonymous caller what
 * is wrong with their input, and (b) surface a rejected input as a top-level error. Around the arg mappers,
 * this plugin first applies the field's auth scopes with the builder's own scope-auth settings, then returns
 * input errors as the field's typed result, like any other domain error.
 */
import { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { wrapOrThrow } from '@pothos/plugin-errors';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';

type ErrorClass = new (...args: never[]) => unknown;
type ScopeCheck = boolean | ((param: unknown) => boolean);

export class InputErrorsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapArgMappers(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (!fieldConfig.argMappers.length) return resolver;
    const errorTypes = (fieldConfig.extensions?.['pothosErrors'] as ErrorClass[] | undefined) ?? [];
    const required = (fieldConfig.pothosOptions as { authScopes?: Record<string, unknown> }).authScopes;
    const scopeAuth = this.builder.options.scopeAuth as unknown as {
      authScopes: (ctx: Types['Context']) => Record<string, ScopeCheck>;
      unauthorizedError: (parent: unknown, ctx: Types['Context'], info: GraphQLResolveInfo) => Error;
    };
    return async (parent, args, context, info) => {
      if (required && !allowed(scopeAuth.authScopes(context), required)) throw scopeAuth.unauthorizedError(parent, context, info);
      try {
        return await resolver(parent, args, context, info);
      } catch (error) {
        if (!errorTypes.length) throw error;
        // The errors plugin's own wrapping, so the result union resolves exactly as for a resolver's error.
        return wrapOrThrow(error, errorTypes);
      }
    };
  }
}

/** Any one of the required scopes suffices, as in scope-auth's default `any` strategy. */
function allowed(scopes: Record<string, ScopeCheck>, required: Record<string, unknown>): boolean {
  return Object.entries(required).some(([scope, param]) => {
    const check = scopes[scope];
    return typeof check === 'function' ? check(param) : check === param;
  });
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      inputErrors: InputErrorsPlugin<Types>;
    }
  }
}

/**
 * Pothos runs argument validation (the validation plugin's arg mappers) outside the errors plugin's resolver
 * wrapper, so a rejected input would surface as a top-level error. This plugin catches those errors where
 * Pothos offers the hook for it and returns them as the field's typed result, like any other domain error.
 */
import { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { wrapOrThrow } from '@pothos/plugin-errors';
import type { GraphQLFieldResolver } from 'graphql';

type ErrorClass = new (...args: never[]) => unknown;

export class InputErrorsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapArgMappers(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const errorTypes = fieldConfig.extensions?.['pothosErrors'] as ErrorClass[] | undefined;
    if (!errorTypes?.length) return resolver;
    return async (parent, args, context, info) => {
      try {
        return await resolver(parent, args, context, info);
      } catch (error) {
        // The errors plugin's own wrapping, so the result union resolves exactly as for a resolver's error.
        return wrapOrThrow(error, errorTypes);
      }
    };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      inputErrors: InputErrorsPlugin<Types>;
    }
  }
}

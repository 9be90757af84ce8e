/** Assembles the schema from every module, once per process (the Pothos builder is a singleton). */
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { DirectiveLocation, GraphQLDirective, GraphQLNonNull, GraphQLString, lexicographicSortSchema, specifiedDirectives, type GraphQLSchema } from 'graphql';
import { defineAiConfigSchema } from '../modules/ai/ai-config.graphql.ts';
import { defineAccessRequestSchema } from '../modules/access/access-request.graphql.ts';
import { defineAuditSchema } from '../modules/audit/audit.graphql.ts';
import { defineClassificationTagSchema } from '../modules/classification/classification-tag.graphql.ts';
import { defineDatasourceSchema } from '../modules/datasources/datasource.graphql.ts';
import { defineExplorerSchema } from '../modules/explorer/explorer.graphql.ts';
import { defineGrantSchema } from '../modules/grants/grant.graphql.ts';
import { defineGroupSchema } from '../modules/groups/group.graphql.ts';
import { defineHealthSchema } from '../modules/health/health.graphql.ts';
import { defineIdentitySchema } from '../modules/identity/identity.graphql.ts';
import { defineMaskingPolicySchema } from '../modules/masking/masking-policy.graphql.ts';
import { defineNotificationSchema } from '../modules/notifications/notification.graphql.ts';
import { defineOrganizationSchema } from '../modules/orgs/organization.graphql.ts';
import { defineQueryRequestSchema } from '../modules/requests/query-request.graphql.ts';
import { defineRequestGroupSchema } from '../modules/requestgroups/request-group.graphql.ts';
import { defineReviewPlanSchema } from '../modules/review/review-plan.graphql.ts';
import { defineRoutingPolicySchema } from '../modules/routing/routing-policy.graphql.ts';
import { defineQueryTemplateSchema } from '../modules/templates/query-template.graphql.ts';
import { defineRowSecurityPolicySchema } from '../modules/rowsecurity/row-security-policy.graphql.ts';
import { builder } from './builder.ts';
import { defineErrorTypes } from './error-types.ts';

let schema: GraphQLSchema | undefined;

export function getSchema(): GraphQLSchema {
  if (schema) return schema;
  builder.queryType({});
  builder.mutationType({});
  builder.subscriptionType({});
  defineErrorTypes();
  defineOrganizationSchema();
  defineIdentitySchema();
  defineGroupSchema();
  defineAuditSchema();
  defineNotificationSchema();
  defineReviewPlanSchema();
  defineAiConfigSchema();
  defineDatasourceSchema();
  defineGrantSchema();
  defineMaskingPolicySchema();
  defineRowSecurityPolicySchema();
  defineRoutingPolicySchema();
  defineAccessRequestSchema();
  defineClassificationTagSchema();
  defineQueryRequestSchema();
  defineRequestGroupSchema();
  defineQueryTemplateSchema();
  defineExplorerSchema();
  defineHealthSchema();
  schema = lexicographicSortSchema(
    builder.toSchema({
      directives: [
        // Listing directives replaces graphql's own: keep @include, @skip, @deprecated, @specifiedBy, @oneOf.
        ...specifiedDirectives,
        new GraphQLDirective({
          name: 'auth',
          description: 'The permission this field needs: a permission name, AUTHENTICATED or PLATFORM_ADMIN.',
          locations: [DirectiveLocation.FIELD_DEFINITION],
          args: { requires: { type: new GraphQLNonNull(GraphQLString) } },
        }),
        new GraphQLDirective({
          name: 'public',
          description: 'This field needs no credentials.',
          locations: [DirectiveLocation.FIELD_DEFINITION],
        }),
        new GraphQLDirective({
          name: 'naturalKey',
          description: 'Identifies, with the other natural-key fields of the input, the object an upsert adopts or creates; a change means another object.',
          locations: [DirectiveLocation.INPUT_FIELD_DEFINITION],
        }),
        new GraphQLDirective({
          name: 'writeOnly',
          description: 'A secret no field returns; the output field named by `version` increases whenever it changes.',
          locations: [DirectiveLocation.INPUT_FIELD_DEFINITION],
          args: { version: { type: new GraphQLNonNull(GraphQLString) } },
        }),
        new GraphQLDirective({
          name: 'stringMap',
          description: 'A JSON object whose values are strings.',
          locations: [DirectiveLocation.INPUT_FIELD_DEFINITION],
        }),
        new GraphQLDirective({
          name: 'replaceOnChange',
          description: 'Not matched on by the upsert, but a change means another object.',
          locations: [DirectiveLocation.INPUT_FIELD_DEFINITION],
        }),
      ],
    }),
  );
  return schema;
}

/** The SDL committed as schema/schema.graphql, directives included. */
export function printSdl(): string {
  return printSchemaWithDirectives(getSchema()) + '\n';
}

/** GraphQL for row-security policies. */
import { z } from 'zod';
import { builder, naturalKey, requires } from '../../graphql/builder.ts';
import { actorOf, offsetPage } from '../../graphql/helpers.ts';
import { ROLES } from '../identity/permissions.ts';
import { ROW_OPERATORS, ROW_VALUE_TYPES, type RowSecurityPolicy } from './row-security-policy.entity.ts';

export const RowSecurityPolicyRef = builder.objectRef<RowSecurityPolicy>('RowSecurityPolicy');

export function defineRowSecurityPolicySchema(): void {
  const OperatorEnum = builder.enumType('RowOperator', { values: ROW_OPERATORS });
  const ValueTypeEnum = builder.enumType('RowValueType', { values: ROW_VALUE_TYPES });
  const AppliesRoleEnum = builder.enumType('RowSecurityRole', { values: ROLES });

  RowSecurityPolicyRef.implement({
    description: 'A row filter `column operator value` on one table; empty applies-to lists mean everyone, admins included.',
    fields: (t) => ({
      id: t.exposeID('id'),
      datasourceId: t.exposeID('datasourceId'),
      tableName: t.exposeString('tableName'),
      columnName: t.exposeString('columnName'),
      operator: t.expose('operator', { type: OperatorEnum }),
      valueType: t.expose('valueType', { type: ValueTypeEnum }),
      valueExpression: t.exposeString('valueExpression', { description: 'A literal (comma-separated for IN), or user.id / user.email / user.role / user.groups / user.<attribute>.' }),
      appliesToRoles: t.field({ type: [AppliesRoleEnum], resolve: (p) => p.appliesToRoles }),
      appliesToGroupIds: t.idList({ resolve: (p) => p.appliesToGroupIds }),
      appliesToUserIds: t.idList({ resolve: (p) => p.appliesToUserIds }),
      enabled: t.exposeBoolean('enabled'),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  const UpsertInput = builder.inputType('UpsertRowSecurityPolicyInput', {
    description: 'Authoritative for the (datasource, table, column, operator) key.',
    fields: (t) => ({
      datasourceId: t.id({ required: true, validate: z.uuid(), ...naturalKey }),
      tableName: t.string({ required: true, validate: z.string().min(1).max(400), ...naturalKey }),
      columnName: t.string({ required: true, validate: z.string().min(1).max(200), ...naturalKey }),
      operator: t.field({ type: OperatorEnum, required: true, ...naturalKey }),
      valueType: t.field({ type: ValueTypeEnum, required: true }),
      valueExpression: t.string({ required: true, validate: z.string().max(1000) }),
      appliesToRoles: t.field({ type: [AppliesRoleEnum] }),
      appliesToGroupIds: t.idList({ validate: z.array(z.uuid()).max(1000) }),
      appliesToUserIds: t.idList({ validate: z.array(z.uuid()).max(1000) }),
      enabled: t.boolean(),
    }),
  });

  builder.queryFields((t) => ({
    // Loadable: the aliases of one request (Terraform's batched refresh) are read in one store transaction.
    rowSecurityPolicy: t.loadable({
      type: RowSecurityPolicyRef,
      nullable: true,
      ...requires('POLICIES_MANAGE'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      load: (ids: string[], ctx) => ctx.services.rowSecurity.getMany(actorOf(ctx), ids),
      sort: (found) => found.id,
      resolve: (_root, args) => String(args.id),
    }),
    rowSecurityPolicies: t.connection({
      type: RowSecurityPolicyRef,
      ...requires('POLICIES_MANAGE'),
      args: { datasourceId: t.arg.id({ validate: z.uuid() }) },
      resolve: (_root, args, ctx) =>
        offsetPage(args, (offset, limit) => ctx.services.rowSecurity.list(actorOf(ctx), args.datasourceId ? String(args.datasourceId) : null, offset, limit)),
    }),
  }));

  builder.mutationFields((t) => ({
    upsertRowSecurityPolicy: t.field({
      type: RowSecurityPolicyRef,
      ...requires('POLICIES_MANAGE'),
      errors: {},
      args: { input: t.arg({ type: UpsertInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.rowSecurity.upsert(actorOf(ctx), ctx.origin, {
          ...input,
          datasourceId: String(input.datasourceId),
          appliesToGroupIds: input.appliesToGroupIds?.map(String) ?? null,
          appliesToUserIds: input.appliesToUserIds?.map(String) ?? null,
        }),
    }),
    deleteRowSecurityPolicy: t.id({
      ...requires('POLICIES_MANAGE'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.rowSecurity.delete(actorOf(ctx), ctx.origin, String(args.id)),
    }),
  }));
}

/** GraphQL for masking policies. */
import { z } from 'zod';
import { builder, naturalKey, requires, stringMap } from '../../graphql/builder.ts';
import { actorOf, offsetPage } from '../../graphql/helpers.ts';
import { ROLES } from '../identity/permissions.ts';
import type { MaskingPolicy } from './masking-policy.entity.ts';
import { MASKING_STRATEGIES } from './strategies.ts';

export const MaskingPolicyRef = builder.objectRef<MaskingPolicy>('MaskingPolicy');

export function defineMaskingPolicySchema(): void {
  const StrategyEnum = builder.enumType('MaskingStrategy', {
    values: MASKING_STRATEGIES,
    description: 'FULL ***; PARTIAL keeps the last strategyParams.visible_suffix (4); HASH keyed HMAC-SHA256; EMAIL j***@domain; FORMAT_PRESERVING digits→*, letters→x.',
  });
  const RevealRoleEnum = builder.enumType('RevealRole', { values: ROLES });

  MaskingPolicyRef.implement({
    description: 'How one column is shown to everyone not in its reveal lists.',
    fields: (t) => ({
      id: t.exposeID('id'),
      datasourceId: t.exposeID('datasourceId'),
      columnRef: t.exposeString('columnRef'),
      strategy: t.expose('strategy', { type: StrategyEnum }),
      strategyParams: t.field({ type: 'JSON', resolve: (p) => p.strategyParams }),
      revealToRoles: t.field({ type: [RevealRoleEnum], resolve: (p) => p.revealToRoles }),
      revealToGroupIds: t.idList({ resolve: (p) => p.revealToGroupIds }),
      revealToUserIds: t.idList({ resolve: (p) => p.revealToUserIds }),
      enabled: t.exposeBoolean('enabled'),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  const UpsertMaskingPolicyInput = builder.inputType('UpsertMaskingPolicyInput', {
    description: 'Authoritative for the (datasource, columnRef) pair.',
    fields: (t) => ({
      datasourceId: t.id({ required: true, validate: z.uuid(), ...naturalKey }),
      columnRef: t.string({ required: true, validate: z.string().min(1).max(400), ...naturalKey }),
      strategy: t.field({ type: StrategyEnum, required: true }),
      strategyParams: t.field({ type: 'JSON', validate: z.record(z.string(), z.string().max(200)), ...stringMap }),
      revealToRoles: t.field({ type: [RevealRoleEnum] }),
      revealToGroupIds: t.idList({ validate: z.array(z.uuid()).max(1000) }),
      revealToUserIds: t.idList({ validate: z.array(z.uuid()).max(1000) }),
      enabled: t.boolean(),
    }),
  });

  builder.queryFields((t) => ({
    // Loadable: the aliases of one request (Terraform's batched refresh) are read in one store transaction.
    maskingPolicy: t.loadable({
      type: MaskingPolicyRef,
      nullable: true,
      ...requires('POLICIES_MANAGE'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      load: (ids: string[], ctx) => ctx.services.maskingPolicies.getMany(actorOf(ctx), ids),
      sort: (found) => found.id,
      resolve: (_root, args) => String(args.id),
    }),
    maskingPolicies: t.connection({
      type: MaskingPolicyRef,
      ...requires('POLICIES_MANAGE'),
      args: { datasourceId: t.arg.id({ validate: z.uuid() }) },
      resolve: (_root, args, ctx) =>
        offsetPage(args, (offset, limit) => ctx.services.maskingPolicies.list(actorOf(ctx), args.datasourceId ? String(args.datasourceId) : null, offset, limit)),
    }),
  }));

  builder.mutationFields((t) => ({
    upsertMaskingPolicy: t.field({
      type: MaskingPolicyRef,
      ...requires('POLICIES_MANAGE'),
      errors: {},
      args: { input: t.arg({ type: UpsertMaskingPolicyInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.maskingPolicies.upsert(actorOf(ctx), ctx.origin, {
          ...input,
          datasourceId: String(input.datasourceId),
          strategyParams: input.strategyParams as Record<string, string> | null,
          revealToGroupIds: input.revealToGroupIds?.map(String) ?? null,
          revealToUserIds: input.revealToUserIds?.map(String) ?? null,
        }),
    }),
    deleteMaskingPolicy: t.id({
      ...requires('POLICIES_MANAGE'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.maskingPolicies.delete(actorOf(ctx), ctx.origin, String(args.id)),
    }),
  }));
}

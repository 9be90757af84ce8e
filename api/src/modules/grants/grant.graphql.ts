/** GraphQL for grants. */
import { z } from 'zod';
import { builder, naturalKey, requires } from '../../graphql/builder.ts';
import { actorOf, offsetPage } from '../../graphql/helpers.ts';
import type { Grant } from './grant.entity.ts';

export const GrantRef = builder.objectRef<Grant>('Grant');

export function defineGrantSchema(): void {
  GrantRef.implement({
    description: "A user's or group's access to one datasource. Several grants combine as the most permissive union.",
    fields: (t) => ({
      id: t.exposeID('id'),
      datasourceId: t.exposeID('datasourceId'),
      userId: t.exposeID('userId', { nullable: true }),
      groupId: t.exposeID('groupId', { nullable: true }),
      canRead: t.exposeBoolean('canRead'),
      canWrite: t.exposeBoolean('canWrite'),
      canDdl: t.exposeBoolean('canDdl'),
      canBreakGlass: t.exposeBoolean('canBreakGlass'),
      allowedSchemas: t.exposeStringList('allowedSchemas', {
        nullable: true,
        description:
          'null = every schema. Compared exactly: on PostgreSQL an unquoted name folds to lower case and a double-quoted one keeps its case (`"Sales"` is not `sales`); on MySQL/MariaDB names are as written.',
      }),
      allowedTables: t.exposeStringList('allowedTables', {
        nullable: true,
        description: 'null = every table. `schema.table`, or a bare `table` in the default schema; named as for allowedSchemas.',
      }),
      restrictedColumns: t.exposeStringList('restrictedColumns'),
      maxRows: t.exposeInt('maxRows', { nullable: true }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  const names = z.array(z.string().trim().min(1).max(200)).max(1000);
  const UpsertGrantInput = builder.inputType('UpsertGrantInput', {
    description: 'Authoritative for the (datasource, subject) pair; name exactly one of userId and groupId.',
    fields: (t) => ({
      datasourceId: t.id({ required: true, validate: z.uuid(), ...naturalKey }),
      userId: t.id({ validate: z.uuid(), ...naturalKey }),
      groupId: t.id({ validate: z.uuid(), ...naturalKey }),
      canRead: t.boolean(),
      canWrite: t.boolean(),
      canDdl: t.boolean(),
      canBreakGlass: t.boolean(),
      allowedSchemas: t.stringList({ validate: names }),
      allowedTables: t.stringList({ validate: names }),
      restrictedColumns: t.stringList({ validate: names }),
      maxRows: t.int(),
      expiresAt: t.field({ type: 'DateTime' }),
    }),
  });

  builder.queryFields((t) => ({
    // Loadable: the aliases of one request (Terraform's batched refresh) are read in one store transaction.
    grant: t.loadable({
      type: GrantRef,
      nullable: true,
      ...requires('POLICIES_MANAGE'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      load: (ids: string[], ctx) => ctx.services.grants.getMany(actorOf(ctx), ids),
      sort: (found) => found.id,
      resolve: (_root, args) => String(args.id),
    }),
    grants: t.connection({
      type: GrantRef,
      ...requires('POLICIES_MANAGE'),
      args: { datasourceId: t.arg.id({ validate: z.uuid() }) },
      resolve: (_root, args, ctx) =>
        offsetPage(args, (offset, limit) => ctx.services.grants.list(actorOf(ctx), args.datasourceId ? String(args.datasourceId) : null, offset, limit)),
    }),
  }));

  builder.mutationFields((t) => ({
    upsertGrant: t.field({
      type: GrantRef,
      ...requires('POLICIES_MANAGE'),
      errors: {},
      args: { input: t.arg({ type: UpsertGrantInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.grants.upsert(actorOf(ctx), ctx.origin, {
          ...input,
          datasourceId: String(input.datasourceId),
          userId: input.userId ? String(input.userId) : null,
          groupId: input.groupId ? String(input.groupId) : null,
        }),
    }),
    deleteGrant: t.id({
      ...requires('POLICIES_MANAGE'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.grants.delete(actorOf(ctx), ctx.origin, String(args.id)),
    }),
  }));
}

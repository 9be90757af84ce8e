/** GraphQL for user groups. */
import { z } from 'zod';
import { builder, naturalKey, requires } from '../../graphql/builder.ts';
import { actorOf, offsetPage } from '../../graphql/helpers.ts';
import type { UserGroup } from './user-group.entity.ts';

export const UserGroupRef = builder.objectRef<UserGroup>('UserGroup');

export function defineGroupSchema(): void {
  UserGroupRef.implement({
    description: 'A named set of users: a reviewer stage, a grant subject, a row-security or masking audience.',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      description: t.exposeString('description', { nullable: true }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      // Batched by the dataloader plugin: a page of groups costs one membership query, not one per group.
      memberIds: t.loadableList({
        type: 'ID',
        load: (groupIds: string[], ctx) => ctx.services.groups.memberIds(actorOf(ctx).orgId, groupIds),
        resolve: (group) => group.id,
      }),
    }),
  });

  const UpsertUserGroupInput = builder.inputType('UpsertUserGroupInput', {
    fields: (t) => ({
      name: t.string({ required: true, description: 'Natural key within the organization.', validate: z.string().trim().min(1).max(200), ...naturalKey }),
      description: t.string({ validate: z.string().max(2000) }),
      memberIds: t.idList({ description: 'The complete member list; omit to leave members unchanged.', validate: z.array(z.uuid()).max(10_000) }),
    }),
  });

  builder.queryFields((t) => ({
    // Loadable: the aliases of one request (Terraform's batched refresh) are read in one store transaction.
    userGroup: t.loadable({
      type: UserGroupRef,
      nullable: true,
      ...requires('USERS_MANAGE'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      load: (ids: string[], ctx) => ctx.services.groups.getMany(actorOf(ctx), ids),
      sort: (found) => found.id,
      resolve: (_root, args) => String(args.id),
    }),
    userGroupByName: t.field({
      type: UserGroupRef,
      nullable: true,
      ...requires('USERS_MANAGE'),
      args: { name: t.arg.string({ required: true, validate: z.string().max(200) }) },
      resolve: (_root, args, ctx) => ctx.services.groups.getByName(actorOf(ctx), args.name),
    }),
    userGroups: t.connection({
      type: UserGroupRef,
      ...requires('USERS_MANAGE'),
      resolve: (_root, args, ctx) => offsetPage(args, (offset, limit) => ctx.services.groups.list(actorOf(ctx), offset, limit)),
    }),
  }));

  builder.mutationFields((t) => ({
    upsertUserGroup: t.field({
      type: UserGroupRef,
      description: 'Creates the group, or makes the one with this name match the input.',
      ...requires('USERS_MANAGE'),
      errors: {},
      args: { input: t.arg({ type: UpsertUserGroupInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.groups.upsert(actorOf(ctx), ctx.origin, {
          ...input,
          memberIds: input.memberIds ? input.memberIds.map(String) : null,
        }),
    }),
    deleteUserGroup: t.id({
      ...requires('USERS_MANAGE'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.groups.delete(actorOf(ctx), ctx.origin, String(args.id)),
    }),
  }));
}

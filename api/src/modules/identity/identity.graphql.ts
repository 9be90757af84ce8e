/** GraphQL for people, service accounts, sessions and API keys. */
import { z } from 'zod';
import { RateLimitedError, UnauthenticatedError } from '../../errors.ts';
import { builder, naturalKey, publicField, requires } from '../../graphql/builder.ts';
import { actorOf, offsetPage } from '../../graphql/helpers.ts';
import { OrganizationRef } from '../orgs/organization.graphql.ts';
import type { ApiKey } from './api-key.entity.ts';
import type { SessionTokens } from './auth.service.ts';
import { ROLES } from './permissions.ts';
import { USER_KINDS, type User } from './user.entity.ts';

export const UserRef = builder.objectRef<User>('User');
export const ApiKeyRef = builder.objectRef<ApiKey>('ApiKey');
const ServiceAccountRef = builder.objectRef<User>('ServiceAccount');
const AuthPayloadRef = builder.objectRef<SessionTokens>('AuthPayload');
const CreatedApiKeyRef = builder.objectRef<{ secret: string; apiKey: ApiKey }>('CreatedApiKey');

export const email = z.string().trim().toLowerCase().email('must be an e-mail address').max(320);
export const newPassword = z.string().min(12, 'must be at least 12 characters').max(200, 'must be at most 200 characters');
export const displayName = z.string().trim().min(1, 'must not be empty').max(200);
const attributes = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'keys are identifiers'), z.string().max(1000));

export function defineIdentitySchema(): void {
  const RoleEnum = builder.enumType('Role', {
    description: 'Org-wide ceiling of what a user may do (see docs/concepts.md for the matrix).',
    values: ROLES,
  });
  const UserKindEnum = builder.enumType('UserKind', { values: USER_KINDS });

  UserRef.implement({
    description: 'A person or a service account of your organization.',
    fields: (t) => ({
      id: t.exposeID('id'),
      email: t.exposeString('email'),
      displayName: t.exposeString('displayName'),
      role: t.expose('role', { type: RoleEnum }),
      kind: t.expose('kind', { type: UserKindEnum }),
      platformAdmin: t.exposeBoolean('platformAdmin', { description: 'May manage organizations across the instance.' }),
      active: t.exposeBoolean('active'),
      attributes: t.field({ type: 'JSON', description: 'Key/value attributes used by row security as :user.<key>.', resolve: (u) => u.attributes }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      deactivatedAt: t.expose('deactivatedAt', { type: 'DateTime', nullable: true }),
      organization: t.field({
        type: OrganizationRef,
        resolve: (user, _args, ctx) => ctx.services.orgs.own(user.organizationId),
      }),
    }),
  });

  ApiKeyRef.implement({
    description: 'An API key. Its secret was shown once, at creation; only `prefix` identifies it afterwards.',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      prefix: t.exposeString('prefix'),
      userId: t.exposeID('userId'),
      expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
      revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
      lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'Updated at most once a minute.' }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      user: t.field({
        type: UserRef,
        nullable: true,
        resolve: (key, _args, ctx) => ctx.services.users.get(actorOf(ctx).orgId, key.userId),
      }),
    }),
  });

  AuthPayloadRef.implement({
    fields: (t) => ({
      accessToken: t.exposeString('accessToken', { description: 'Send as Authorization: Bearer <accessToken>.' }),
      accessTokenExpiresAt: t.expose('accessTokenExpiresAt', { type: 'DateTime' }),
      refreshToken: t.exposeString('refreshToken', { description: 'Trade for a new pair with refreshSession; single use.' }),
      refreshTokenExpiresAt: t.expose('refreshTokenExpiresAt', { type: 'DateTime' }),
      user: t.field({
        type: UserRef,
        resolve: async (payload, _args, ctx) => {
          const user = await ctx.services.users.get(payload.orgId, payload.userId);
          if (!user) throw new UnauthenticatedError('user not found');
          return user;
        },
      }),
    }),
  });

  CreatedApiKeyRef.implement({
    fields: (t) => ({
      secret: t.exposeString('secret', { description: 'The raw key. Shown only in this response: store it now.' }),
      apiKey: t.field({ type: ApiKeyRef, resolve: (created) => created.apiKey }),
    }),
  });

  const UserFilter = builder.inputType('UserFilter', {
    fields: (t) => ({
      kind: t.field({ type: UserKindEnum }),
      includeInactive: t.boolean({ defaultValue: false }),
    }),
  });

  builder.queryFields((t) => ({
    serviceAccount: t.loadable({
      type: ServiceAccountRef,
      nullable: true,
      ...requires('USERS_MANAGE'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      load: (ids: string[], ctx) => ctx.services.users.getServiceAccounts(actorOf(ctx), ids),
      sort: (found) => found.id,
      resolve: (_root, args) => String(args.id),
    }),
    serviceAccountByName: t.field({
      type: ServiceAccountRef,
      nullable: true,
      ...requires('USERS_MANAGE'),
      args: { name: t.arg.string({ required: true, validate: z.string().max(200) }) },
      resolve: (_root, args, ctx) => ctx.services.users.getServiceAccountByName(actorOf(ctx), args.name),
    }),
    me: t.field({ type: UserRef, ...requires('AUTHENTICATED'), resolve: async (_root, _args, ctx) => {
      const actor = actorOf(ctx);
      const user = await ctx.services.users.get(actor.orgId, actor.userId);
      if (!user) throw new UnauthenticatedError('user not found');
      return user;
    } }),
    user: t.field({
      type: UserRef,
      nullable: true,
      ...requires('USERS_MANAGE'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.users.get(actorOf(ctx).orgId, String(args.id)),
    }),
    users: t.connection({
      type: UserRef,
      ...requires('USERS_MANAGE'),
      args: { filter: t.arg({ type: UserFilter }) },
      resolve: (_root, args, ctx) =>
        offsetPage(args, (offset, limit) => ctx.services.users.list(actorOf(ctx), args.filter ?? {}, offset, limit)),
    }),
    apiKeys: t.connection({
      type: ApiKeyRef,
      description: "Your own API keys; an admin may name any user, or omit userId to see everyone's.",
      ...requires('AUTHENTICATED'),
      args: { userId: t.arg.id({ validate: z.uuid() }) },
      resolve: (_root, args, ctx) =>
        offsetPage(args, (offset, limit) =>
          ctx.services.apiKeys.list(actorOf(ctx), args.userId ? String(args.userId) : null, offset, limit),
        ),
    }),
  }));

  const LoginInput = builder.inputType('LoginInput', {
    fields: (t) => ({
      email: t.string({ required: true, validate: z.string().max(320) }),
      password: t.string({ required: true, validate: z.string().max(200) }),
    }),
  });
  const CreateUserInput = builder.inputType('CreateUserInput', {
    fields: (t) => ({
      email: t.string({ required: true, validate: email }),
      password: t.string({ required: true, validate: newPassword }),
      displayName: t.string({ required: true, validate: displayName }),
      role: t.field({ type: RoleEnum, required: true }),
      attributes: t.field({ type: 'JSON', validate: attributes }),
    }),
  });
  const UpdateUserInput = builder.inputType('UpdateUserInput', {
    fields: (t) => ({
      id: t.id({ required: true, validate: z.uuid() }),
      displayName: t.string({ validate: displayName }),
      role: t.field({ type: RoleEnum }),
      attributes: t.field({ type: 'JSON', description: 'Replaces all attributes.', validate: attributes }),
    }),
  });
  const CreateServiceAccountInput = builder.inputType('CreateServiceAccountInput', {
    fields: (t) => ({
      name: t.string({ required: true, validate: displayName }),
      role: t.field({ type: RoleEnum, required: true }),
    }),
  });
  ServiceAccountRef.implement({
    description: 'A user that signs in only with API keys (pipelines, Terraform), managed declaratively by name.',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('displayName'),
      role: t.expose('role', { type: RoleEnum }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });
  const UpsertServiceAccountInput = builder.inputType('UpsertServiceAccountInput', {
    description: 'Authoritative, by name: creates the account, or gives the one with this name the role (reactivating a deleted one).',
    fields: (t) => ({
      name: t.string({ required: true, validate: displayName, ...naturalKey }),
      role: t.field({ type: RoleEnum, required: true }),
    }),
  });
  const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
    fields: (t) => ({
      name: t.string({ required: true, validate: displayName }),
      userId: t.id({ description: 'Whose key; omit for your own. Another user needs an admin.', validate: z.uuid() }),
      expiresAt: t.field({ type: 'DateTime' }),
    }),
  });

  builder.mutationFields((t) => ({
    login: t.field({
      type: AuthPayloadRef,
      ...publicField(),
      errors: { types: [UnauthenticatedError, RateLimitedError] },
      args: { input: t.arg({ type: LoginInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.auth.login(input.email, input.password, ctx.origin),
    }),
    refreshSession: t.field({
      type: AuthPayloadRef,
      ...publicField(),
      errors: { types: [UnauthenticatedError] },
      args: { refreshToken: t.arg.string({ required: true, validate: z.string().max(200) }) },
      resolve: (_root, args, ctx) => ctx.services.auth.refreshSession(args.refreshToken, ctx.origin),
    }),
    logout: t.boolean({
      ...requires('AUTHENTICATED'),
      errors: {},
      resolve: (_root, _args, ctx) => ctx.services.auth.logout(actorOf(ctx), ctx.origin),
    }),
    createUser: t.field({
      type: UserRef,
      ...requires('USERS_MANAGE'),
      errors: {},
      args: { input: t.arg({ type: CreateUserInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.users.create(actorOf(ctx), ctx.origin, { ...input, attributes: input.attributes as Record<string, string> | null }),
    }),
    updateUser: t.field({
      type: UserRef,
      ...requires('USERS_MANAGE'),
      errors: {},
      args: { input: t.arg({ type: UpdateUserInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.users.update(actorOf(ctx), ctx.origin, {
          ...input,
          id: String(input.id),
          attributes: input.attributes as Record<string, string> | null,
        }),
    }),
    deactivateUser: t.field({
      type: UserRef,
      ...requires('USERS_MANAGE'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.users.setActive(actorOf(ctx), ctx.origin, String(args.id), false),
    }),
    reactivateUser: t.field({
      type: UserRef,
      ...requires('USERS_MANAGE'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.users.setActive(actorOf(ctx), ctx.origin, String(args.id), true),
    }),
    createServiceAccount: t.field({
      type: UserRef,
      description: 'A user that signs in only with API keys, for pipelines and Terraform.',
      ...requires('USERS_MANAGE'),
      errors: {},
      args: { input: t.arg({ type: CreateServiceAccountInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.users.createServiceAccount(actorOf(ctx), ctx.origin, input),
    }),
    upsertServiceAccount: t.field({
      type: ServiceAccountRef,
      ...requires('USERS_MANAGE'),
      errors: {},
      args: { input: t.arg({ type: UpsertServiceAccountInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.users.upsertServiceAccount(actorOf(ctx), ctx.origin, input),
    }),
    deleteServiceAccount: t.id({
      description: 'Deactivates the service account: its API keys stop working at once.',
      ...requires('USERS_MANAGE'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.users.deleteServiceAccount(actorOf(ctx), ctx.origin, String(args.id)),
    }),
    createApiKey: t.field({
      type: CreatedApiKeyRef,
      ...requires('AUTHENTICATED'),
      errors: {},
      args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.apiKeys.create(actorOf(ctx), ctx.origin, { ...input, userId: input.userId ? String(input.userId) : null }),
    }),
    revokeApiKey: t.field({
      type: ApiKeyRef,
      ...requires('AUTHENTICATED'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.apiKeys.revoke(actorOf(ctx), ctx.origin, String(args.id)),
    }),
  }));
}

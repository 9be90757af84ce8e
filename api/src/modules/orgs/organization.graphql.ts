/** GraphQL for first-run setup, your organization, and the platform-admin plane. */
import { z } from 'zod';
import { ConflictError, ForbiddenError } from '../../errors.ts';
import { builder, publicField, requires } from '../../graphql/builder.ts';
import { actorOf, offsetPage } from '../../graphql/helpers.ts';
import { displayName, email, newPassword, UserRef } from '../identity/identity.graphql.ts';
import type { SessionTokens } from '../identity/auth.service.ts';
import type { User } from '../identity/user.entity.ts';
import type { Organization } from './organization.entity.ts';

export const OrganizationRef = builder.objectRef<Organization>('Organization');
const SetupPayloadRef = builder.objectRef<{ tokens: SessionTokens; user: User }>('SetupPayload');

const orgName = z.string().trim().min(1, 'must not be empty').max(200);
const quota = z.number().int().min(0, 'must be 0 (unlimited) or more');

export function defineOrganizationSchema(): void {
  OrganizationRef.implement({
    description: 'A tenant: its people, datasources, requests and audit log are isolated from every other.',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      disabled: t.exposeBoolean('disabled', { description: 'A disabled organization is refused on its next request.' }),
      maxDatasources: t.exposeInt('maxDatasources', { description: '0 = unlimited.' }),
      maxUsers: t.exposeInt('maxUsers', { description: 'Active users and service accounts; 0 = unlimited.' }),
      maxQueriesPerDay: t.exposeInt('maxQueriesPerDay', { description: 'Submissions per trailing 24 h; 0 = unlimited.' }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  SetupPayloadRef.implement({
    fields: (t) => ({
      accessToken: t.string({ resolve: (p) => p.tokens.accessToken }),
      accessTokenExpiresAt: t.field({ type: 'DateTime', resolve: (p) => p.tokens.accessTokenExpiresAt }),
      refreshToken: t.string({ resolve: (p) => p.tokens.refreshToken }),
      refreshTokenExpiresAt: t.field({ type: 'DateTime', resolve: (p) => p.tokens.refreshTokenExpiresAt }),
      user: t.field({ type: UserRef, resolve: (p) => p.user }),
    }),
  });

  const SetupInput = builder.inputType('SetupInput', {
    fields: (t) => ({
      setupToken: t.string({ required: true, description: 'The token the server printed at start.', validate: z.string().max(200) }),
      organizationName: t.string({ required: true, validate: orgName }),
      email: t.string({ required: true, validate: email }),
      password: t.string({ required: true, validate: newPassword }),
      displayName: t.string({ required: true, validate: displayName }),
    }),
  });
  const FirstAdminInput = builder.inputType('FirstAdminInput', {
    fields: (t) => ({
      email: t.string({ required: true, validate: email }),
      password: t.string({ required: true, validate: newPassword }),
      displayName: t.string({ required: true, validate: displayName }),
    }),
  });
  const CreateOrganizationInput = builder.inputType('CreateOrganizationInput', {
    fields: (t) => ({
      name: t.string({ required: true, validate: orgName }),
      admin: t.field({ type: FirstAdminInput, required: true }),
      maxDatasources: t.int({ validate: quota }),
      maxUsers: t.int({ validate: quota }),
      maxQueriesPerDay: t.int({ validate: quota }),
    }),
  });
  const UpdateOrganizationInput = builder.inputType('UpdateOrganizationInput', {
    fields: (t) => ({
      id: t.id({ required: true, validate: z.uuid() }),
      name: t.string({ validate: orgName }),
      disabled: t.boolean(),
      maxDatasources: t.int({ validate: quota }),
      maxUsers: t.int({ validate: quota }),
      maxQueriesPerDay: t.int({ validate: quota }),
    }),
  });

  builder.queryFields((t) => ({
    setupRequired: t.boolean({
      description: 'True until first-run setup has created the first organization.',
      ...publicField(),
      resolve: (_root, _args, ctx) => ctx.services.orgs.setupRequired,
    }),
    organization: t.field({
      type: OrganizationRef,
      description: 'Your organization.',
      ...requires('AUTHENTICATED'),
      resolve: (_root, _args, ctx) => ctx.services.orgs.own(actorOf(ctx).orgId),
    }),
    platformOrganization: t.field({
      type: OrganizationRef,
      nullable: true,
      description: 'Any organization of the instance (platform admins).',
      ...requires('PLATFORM_ADMIN'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.orgs.get(String(args.id)),
    }),
    organizations: t.connection({
      type: OrganizationRef,
      description: 'Every organization of the instance (platform admins).',
      ...requires('PLATFORM_ADMIN'),
      resolve: (_root, args, ctx) => offsetPage(args, (offset, limit) => ctx.services.orgs.list(offset, limit)),
    }),
  }));

  builder.mutationFields((t) => ({
    setup: t.field({
      type: SetupPayloadRef,
      description: 'First run only: creates the organization and its first admin (a platform admin), and signs them in.',
      ...publicField(),
      errors: { types: [ConflictError, ForbiddenError] },
      args: { input: t.arg({ type: SetupInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.orgs.setup(input, ctx.origin),
    }),
    createOrganization: t.field({
      type: OrganizationRef,
      ...requires('PLATFORM_ADMIN'),
      errors: {},
      args: { input: t.arg({ type: CreateOrganizationInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.orgs.create(actorOf(ctx), ctx.origin, input),
    }),
    updateOrganization: t.field({
      type: OrganizationRef,
      description: 'Rename, change quotas, or disable / enable (effective on the next request).',
      ...requires('PLATFORM_ADMIN'),
      errors: {},
      args: { input: t.arg({ type: UpdateOrganizationInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.orgs.update(actorOf(ctx), ctx.origin, { ...input, id: String(input.id) }),
    }),
  }));
}

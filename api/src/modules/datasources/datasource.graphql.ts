/** GraphQL for datasources. The password is an input only: no field returns it. */
import { z } from 'zod';
import { ConnectionFailedError } from '../../errors.ts';
import { builder, naturalKey, requires, writeOnly } from '../../graphql/builder.ts';
import { actorOf, offsetPage } from '../../graphql/helpers.ts';
import { ReviewPlanRef } from '../review/review-plan.graphql.ts';
import { DB_TYPES, SSL_MODES, type Datasource } from './datasource.entity.ts';
import type { ConnectionCheck } from './datasource.service.ts';

export const DatasourceRef = builder.objectRef<Datasource>('Datasource');
export const DbTypeEnum = builder.enumType('DbType', { values: DB_TYPES });

export function defineDatasourceSchema(): void {
  const SslModeEnum = builder.enumType('SslMode', { values: SSL_MODES });

  DatasourceRef.implement({
    description: 'A database AccessFlow governs. Only AccessFlow holds its credentials.',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      dbType: t.expose('dbType', { type: DbTypeEnum }),
      host: t.exposeString('host'),
      port: t.exposeInt('port'),
      replicaHost: t.exposeString('replicaHost', { nullable: true, description: 'Read replica: proven reads run there; if it cannot be reached, on the primary (audited).' }),
      replicaPort: t.exposeInt('replicaPort', { nullable: true }),
      databaseName: t.exposeString('databaseName'),
      username: t.exposeString('username'),
      hasPassword: t.boolean({ resolve: (d) => d.passwordEncrypted !== null && d.passwordEncrypted !== undefined }),
      passwordVersion: t.exposeInt('passwordVersion', { description: 'Increases whenever the password is replaced; the password itself is never returned.' }),
      sslMode: t.expose('sslMode', { type: SslModeEnum }),
      sslRootCertificate: t.exposeString('sslRootCertificate', {
        nullable: true,
        description: 'PEM certificate(s) of the authorities VERIFY_CA and VERIFY_FULL trust instead of the system\'s; null for the system\'s.',
      }),
      connectionPoolSize: t.exposeInt('connectionPoolSize'),
      maxRowsPerQuery: t.exposeInt('maxRowsPerQuery'),
      statementTimeoutSeconds: t.exposeInt('statementTimeoutSeconds'),
      requireReviewReads: t.exposeBoolean('requireReviewReads'),
      requireReviewWrites: t.exposeBoolean('requireReviewWrites'),
      aiAnalysisEnabled: t.exposeBoolean('aiAnalysisEnabled'),
      textToSqlEnabled: t.exposeBoolean('textToSqlEnabled'),
      reviewPlanId: t.exposeID('reviewPlanId', { nullable: true }),
      reviewPlan: t.field({
        type: ReviewPlanRef,
        nullable: true,
        resolve: (d, _args, ctx) => (d.reviewPlanId ? ctx.services.reviewPlans.get(actorOf(ctx), d.reviewPlanId) : null),
      }),
      aiConfigId: t.exposeID('aiConfigId', { nullable: true, description: 'The model that reviews statements when the review plan requires AI review.' }),
      active: t.exposeBoolean('active'),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    }),
  });

  const ConnectionCheckRef = builder.objectRef<ConnectionCheck>('ConnectionCheck').implement({
    fields: (t) => ({
      ok: t.exposeBoolean('ok'),
      serverVersion: t.exposeString('serverVersion', { nullable: true }),
      latencyMs: t.exposeInt('latencyMs', { nullable: true }),
      error: t.exposeString('error', { nullable: true, description: "The database's own message." }),
    }),
  });

  const UpsertDatasourceInput = builder.inputType('UpsertDatasourceInput', {
    description: 'Authoritative, by name: an omitted optional field takes its default. The password is kept when omitted.',
    fields: (t) => ({
      name: t.string({ required: true, validate: z.string().trim().min(1).max(200), ...naturalKey }),
      dbType: t.field({ type: DbTypeEnum, required: true }),
      host: t.string({ required: true, validate: z.string().trim().min(1).max(255) }),
      port: t.int({ description: 'Default: the engine default (5432, 3306).' }),
      replicaHost: t.string({ description: 'A read replica of the same database (same user and password); omit for none.', validate: z.string().trim().min(1).max(255) }),
      replicaPort: t.int({ description: 'Default: the engine default.' }),
      databaseName: t.string({ required: true, validate: z.string().min(1).max(255) }),
      username: t.string({ required: true, validate: z.string().min(1).max(255) }),
      password: t.string({ description: 'Write-only.', validate: z.string().max(1000), ...writeOnly('passwordVersion') }),
      sslMode: t.field({ type: SslModeEnum }),
      sslRootCertificate: t.string({
        description: 'PEM certificate(s) of the authorities VERIFY_CA and VERIFY_FULL trust instead of the system\'s (a private CA); omit to trust the system\'s.',
      }),
      connectionPoolSize: t.int(),
      maxRowsPerQuery: t.int(),
      statementTimeoutSeconds: t.int(),
      requireReviewReads: t.boolean(),
      requireReviewWrites: t.boolean(),
      aiAnalysisEnabled: t.boolean(),
      textToSqlEnabled: t.boolean(),
      reviewPlanId: t.id({ validate: z.uuid() }),
      aiConfigId: t.id({ description: 'An AI configuration of this organization; omit for the built-in rules only.', validate: z.uuid() }),
      active: t.boolean(),
      verifyConnection: t.boolean({ description: 'Test the connection before saving (default true).' }),
    }),
  });

  builder.queryFields((t) => ({
    // Loadable: the aliases of one request (Terraform's batched refresh) are read in one store transaction.
    datasource: t.loadable({
      type: DatasourceRef,
      nullable: true,
      ...requires('QUERY_SUBMIT_SELECT'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      load: (ids: string[], ctx) => ctx.services.datasources.getMany(actorOf(ctx), ids),
      sort: (found) => found.id,
      resolve: (_root, args) => String(args.id),
    }),
    datasourceByName: t.field({
      type: DatasourceRef,
      nullable: true,
      ...requires('QUERY_SUBMIT_SELECT'),
      args: { name: t.arg.string({ required: true, validate: z.string().max(200) }) },
      resolve: (_root, args, ctx) => ctx.services.datasources.getByName(actorOf(ctx), args.name),
    }),
    datasources: t.connection({
      type: DatasourceRef,
      ...requires('QUERY_SUBMIT_SELECT'),
      resolve: (_root, args, ctx) => offsetPage(args, (offset, limit) => ctx.services.datasources.list(actorOf(ctx), offset, limit)),
    }),
  }));

  builder.mutationFields((t) => ({
    upsertDatasource: t.field({
      type: DatasourceRef,
      description: 'Creates the datasource, or makes the one with this name match the input; tests the connection first.',
      ...requires('DATASOURCES_MANAGE'),
      errors: { types: [ConnectionFailedError] },
      args: { input: t.arg({ type: UpsertDatasourceInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.datasources.upsert(actorOf(ctx), ctx.origin, { ...input, reviewPlanId: input.reviewPlanId ? String(input.reviewPlanId) : null, aiConfigId: input.aiConfigId ? String(input.aiConfigId) : null }),
    }),
    deleteDatasource: t.id({
      ...requires('DATASOURCES_MANAGE'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.datasources.delete(actorOf(ctx), ctx.origin, String(args.id)),
    }),
    testDatasourceConnection: t.field({
      type: ConnectionCheckRef,
      ...requires('DATASOURCES_MANAGE'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.datasources.test(actorOf(ctx), ctx.origin, String(args.id)),
    }),
  }));
}

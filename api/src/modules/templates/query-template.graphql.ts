/** GraphQL for query templates. */
import { z } from 'zod';
import { builder, naturalKey, requires } from '../../graphql/builder.ts';
import { actorOf, offsetPage } from '../../graphql/helpers.ts';
import { QueryRejectedError } from '../requests/classify.ts';
import { QueryRequestRef } from '../requests/query-request.graphql.ts';
import { TEMPLATE_VISIBILITIES, type QueryTemplate, type QueryTemplateVersion } from './query-template.entity.ts';

export const QueryTemplateRef = builder.objectRef<QueryTemplate>('QueryTemplate');

export function defineQueryTemplateSchema(): void {
  const VisibilityEnum = builder.enumType('QueryTemplateVisibility', {
    values: TEMPLATE_VISIBILITIES,
    description: 'PRIVATE: the owner only. TEAM: everyone in the organization may read and use it; only the owner changes it.',
  });
  const ScopeEnum = builder.enumType('QueryTemplateScope', { values: ['ALL', 'MINE', 'TEAM'] as const });

  const VersionRef = builder.objectRef<QueryTemplateVersion>('QueryTemplateVersion').implement({
    description: 'One saved text of a template; versions never change.',
    fields: (t) => ({
      version: t.exposeInt('version'),
      body: t.exposeString('body'),
      placeholders: t.exposeStringList('placeholders', { description: 'Distinct :placeholder names, in order of first appearance.' }),
      createdById: t.exposeID('createdById'),
      restoredFrom: t.exposeInt('restoredFrom', { nullable: true }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  QueryTemplateRef.implement({
    description: 'A saved query with :placeholders, bound as literals when submitted.',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      description: t.exposeString('description', { nullable: true }),
      visibility: t.expose('visibility', { type: VisibilityEnum }),
      ownerId: t.exposeID('ownerId'),
      datasourceId: t.exposeID('datasourceId', { nullable: true }),
      currentVersion: t.exposeInt('currentVersion'),
      versions: t.field({
        type: [VersionRef],
        description: 'Newest first.',
        resolve: (template, _args, ctx) => ctx.services.queryTemplates.versions(actorOf(ctx), template.id),
      }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    }),
  });

  const UpsertQueryTemplateInput = builder.inputType('UpsertQueryTemplateInput', {
    description: 'By (you, name): a changed body becomes a new version; omitted fields take their defaults.',
    fields: (t) => ({
      name: t.string({ required: true, description: 'Natural key among your templates.', validate: z.string().min(1).max(200), ...naturalKey }),
      description: t.string({ validate: z.string().max(2000) }),
      body: t.string({ required: true, validate: z.string().min(1).max(100_000) }),
      visibility: t.field({ type: VisibilityEnum, description: 'PRIVATE by default.' }),
      datasourceId: t.id({ validate: z.uuid() }),
    }),
  });
  const RestoreInput = builder.inputType('RestoreQueryTemplateVersionInput', {
    fields: (t) => ({
      templateId: t.id({ required: true, validate: z.uuid() }),
      version: t.int({ required: true, validate: z.number().int().min(1) }),
    }),
  });
  const SubmitFromTemplateInput = builder.inputType('SubmitQueryFromTemplateInput', {
    fields: (t) => ({
      templateId: t.id({ required: true, validate: z.uuid() }),
      version: t.int({ description: 'The current version by default.', validate: z.number().int().min(1) }),
      parameters: t.field({ type: 'JSON', description: 'One JSON scalar per placeholder: { "name": value }.', validate: z.record(z.string(), z.unknown()) }),
      justification: t.string({ validate: z.string().max(5000) }),
      clientRequestId: t.string({ description: 'Idempotency key: a repeat returns the same request.', validate: z.string().min(1).max(200) }),
      datasourceId: t.id({ description: "Required when the template is not pinned; otherwise overrides the pin.", validate: z.uuid() }),
      scheduledFor: t.field({ type: 'DateTime' }),
      execute: t.boolean({ description: 'Run at once when approved on submission.' }),
    }),
  });

  const DiffInput = builder.inputType('QueryTemplateDiffInput', {
    fields: (t) => ({
      templateId: t.id({ required: true, validate: z.uuid() }),
      fromVersion: t.int({ required: true, validate: z.number().int().min(1) }),
      toVersion: t.int({ required: true, validate: z.number().int().min(1) }),
    }),
  });
  const DiffRef = builder.simpleObject('QueryTemplateDiff', {
    fields: (t) => ({ unified: t.string({ description: 'A unified diff (git style) from fromVersion to toVersion.' }) }),
  });

  builder.queryFields((t) => ({
    queryTemplateDiff: t.field({
      type: DiffRef,
      description: 'What changed between two versions of a template you may see.',
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: {},
      args: { input: t.arg({ type: DiffInput, required: true }) },
      resolve: async (_root, { input }, ctx) => ({
        unified: await ctx.services.queryTemplates.diff(actorOf(ctx), { templateId: String(input.templateId), fromVersion: input.fromVersion, toVersion: input.toVersion }),
      }),
    }),
    queryTemplate: t.loadable({
      type: QueryTemplateRef,
      nullable: true,
      ...requires('QUERY_SUBMIT_SELECT'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      load: (ids: string[], ctx) => ctx.services.queryTemplates.getMany(actorOf(ctx), ids),
      sort: (found) => found.id,
      resolve: (_root, args) => String(args.id),
    }),
    queryTemplates: t.connection({
      type: QueryTemplateRef,
      description: 'Your templates and those shared with the team, by name.',
      ...requires('QUERY_SUBMIT_SELECT'),
      args: { scope: t.arg({ type: ScopeEnum }), datasourceId: t.arg.id({ validate: z.uuid() }) },
      resolve: (_root, args, ctx) =>
        offsetPage(args, (offset, limit) =>
          ctx.services.queryTemplates.list(actorOf(ctx), { scope: args.scope ?? 'ALL', datasourceId: args.datasourceId ? String(args.datasourceId) : null }, offset, limit),
        ),
    }),
  }));

  builder.mutationFields((t) => ({
    upsertQueryTemplate: t.field({
      type: QueryTemplateRef,
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: {},
      args: { input: t.arg({ type: UpsertQueryTemplateInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.queryTemplates.upsert(actorOf(ctx), ctx.origin, { ...input, datasourceId: input.datasourceId ? String(input.datasourceId) : null }),
    }),
    restoreQueryTemplateVersion: t.field({
      type: QueryTemplateRef,
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: {},
      args: { input: t.arg({ type: RestoreInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.queryTemplates.restore(actorOf(ctx), ctx.origin, { templateId: String(input.templateId), version: input.version }),
    }),
    deleteQueryTemplate: t.id({
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.queryTemplates.delete(actorOf(ctx), ctx.origin, String(args.id)),
    }),
    submitQueryFromTemplate: t.field({
      type: QueryRequestRef,
      description: 'Binds the parameters into the template as literals and submits the result like submitQuery.',
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: { types: [QueryRejectedError] },
      args: { input: t.arg({ type: SubmitFromTemplateInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.queryTemplates.submit(actorOf(ctx), ctx.origin, {
          ...input,
          templateId: String(input.templateId),
          parameters: input.parameters as Record<string, unknown> | null,
          datasourceId: input.datasourceId ? String(input.datasourceId) : null,
        }),
    }),
  }));
}

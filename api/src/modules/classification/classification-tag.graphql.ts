/** GraphQL for data classification tags. */
import { z } from 'zod';
import { builder, naturalKey, requires } from '../../graphql/builder.ts';
import { actorOf, offsetPage } from '../../graphql/helpers.ts';
import { DATA_CLASSIFICATIONS, type ClassificationTag } from './classification-tag.entity.ts';

export const ClassificationTagRef = builder.objectRef<ClassificationTag>('ClassificationTag');

export function defineClassificationTagSchema(): void {
  const ClassificationEnum = builder.enumType('DataClassification', { values: DATA_CLASSIFICATIONS });

  ClassificationTagRef.implement({
    description: 'A data classification on a table or column. A column tag derives a masking policy; every tag raises risk.',
    fields: (t) => ({
      id: t.exposeID('id'),
      datasourceId: t.exposeID('datasourceId'),
      tableName: t.exposeString('tableName'),
      columnName: t.string({ nullable: true, resolve: (tag) => tag.columnName || null }),
      classification: t.expose('classification', { type: ClassificationEnum }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  const UpsertInput = builder.inputType('UpsertClassificationTagInput', {
    description: 'Tags are immutable: the same input again returns the existing tag.',
    fields: (t) => ({
      datasourceId: t.id({ required: true, validate: z.uuid(), ...naturalKey }),
      tableName: t.string({ required: true, validate: z.string().min(1).max(400), ...naturalKey }),
      columnName: t.string({ description: 'Omit to tag the whole table.', validate: z.string().max(200), ...naturalKey }),
      classification: t.field({ type: ClassificationEnum, required: true, ...naturalKey }),
    }),
  });

  builder.queryFields((t) => ({
    classificationTag: t.loadable({
      type: ClassificationTagRef,
      nullable: true,
      ...requires('POLICIES_MANAGE'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      load: (ids: string[], ctx) => ctx.services.classificationTags.getMany(actorOf(ctx), ids),
      sort: (found) => found.id,
      resolve: (_root, args) => String(args.id),
    }),
    classificationTags: t.connection({
      type: ClassificationTagRef,
      ...requires('POLICIES_MANAGE'),
      args: { datasourceId: t.arg.id({ validate: z.uuid() }) },
      resolve: (_root, args, ctx) =>
        offsetPage(args, (offset, limit) => ctx.services.classificationTags.list(actorOf(ctx), args.datasourceId ? String(args.datasourceId) : null, offset, limit)),
    }),
  }));

  builder.mutationFields((t) => ({
    upsertClassificationTag: t.field({
      type: ClassificationTagRef,
      ...requires('POLICIES_MANAGE'),
      errors: {},
      args: { input: t.arg({ type: UpsertInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.classificationTags.upsert(actorOf(ctx), ctx.origin, { ...input, datasourceId: String(input.datasourceId) }),
    }),
    deleteClassificationTag: t.id({
      ...requires('POLICIES_MANAGE'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.classificationTags.delete(actorOf(ctx), ctx.origin, String(args.id)),
    }),
  }));
}

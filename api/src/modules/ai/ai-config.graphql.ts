/** GraphQL for AI configurations (admins only). The API key is an input only: no field returns it. */
import { z } from 'zod';
import { builder, naturalKey, requires, writeOnly } from '../../graphql/builder.ts';
import { actorOf, offsetPage } from '../../graphql/helpers.ts';
import { AI_PROVIDERS, type AiConfig } from './ai-config.entity.ts';
import type { AiConfigCheck } from './ai-config.service.ts';

export const AiConfigRef = builder.objectRef<AiConfig>('AiConfig');

export function defineAiConfigSchema(): void {
  const AiProviderEnum = builder.enumType('AiProvider', {
    values: AI_PROVIDERS,
    description: 'ANTHROPIC (Messages API), OPENAI and OPENAI_COMPATIBLE / HUGGING_FACE (chat completions), OLLAMA (/api/chat).',
  });

  AiConfigRef.implement({
    description: 'A model that reviews the statements of the datasources that name it. Only AccessFlow holds its key.',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      aiProvider: t.expose('aiProvider', { type: AiProviderEnum }),
      model: t.exposeString('model'),
      endpoint: t.exposeString('endpoint', { nullable: true, description: "Base URL; null → the provider's public API." }),
      apiKeySet: t.boolean({ resolve: (c) => c.apiKeyEncrypted !== null && c.apiKeyEncrypted !== undefined }),
      apiKeyVersion: t.exposeInt('apiKeyVersion', { description: 'Increases whenever the key is replaced; the key itself is never returned.' }),
      timeoutMs: t.exposeInt('timeoutMs'),
      maxPromptTokens: t.exposeInt('maxPromptTokens'),
      maxCompletionTokens: t.exposeInt('maxCompletionTokens'),
      systemPromptTemplate: t.exposeString('systemPromptTemplate', { nullable: true }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    }),
  });

  const AiConfigCheckRef = builder.objectRef<AiConfigCheck>('AiConfigCheck').implement({
    fields: (t) => ({
      ok: t.exposeBoolean('ok'),
      model: t.exposeString('model'),
      latencyMs: t.exposeInt('latencyMs'),
      message: t.exposeString('message', { description: "The verdict on a harmless statement, or why there was none (the service's message, the key removed)." }),
    }),
  });

  const UpsertAiConfigInput = builder.inputType('UpsertAiConfigInput', {
    description: 'Authoritative, by name: an omitted optional field takes its default. The API key is kept when omitted.',
    fields: (t) => ({
      name: t.string({ required: true, validate: z.string().trim().min(1).max(200), ...naturalKey }),
      aiProvider: t.field({ type: AiProviderEnum, required: true }),
      model: t.string({ required: true, validate: z.string().trim().min(1).max(200) }),
      endpoint: t.string({ description: 'Base URL (required for OPENAI_COMPATIBLE, OLLAMA, HUGGING_FACE), e.g. http://127.0.0.1:11434 or https://host/v1.', validate: z.string().max(500) }),
      apiKey: t.string({ description: 'Write-only. Required for ANTHROPIC and OPENAI.', validate: z.string().min(1).max(1000), ...writeOnly('apiKeyVersion') }),
      timeoutMs: t.int({ description: 'Default 30000 (1000 to 120000).' }),
      maxPromptTokens: t.int({ description: 'Default 8000 (256 to 200000): a longer prompt is not sent and the review fails closed.' }),
      maxCompletionTokens: t.int({ description: 'Default 1024 (64 to 32000).' }),
      systemPromptTemplate: t.string({ description: 'Must contain {{sql}}; may use {{schema_context}}, {{db_type}}, {{language}}. Default: the built-in prompt.', validate: z.string().max(20_000) }),
    }),
  });

  builder.queryFields((t) => ({
    // Loadable: the aliases of one request (Terraform's batched refresh) are read in one store transaction.
    aiConfig: t.loadable({
      type: AiConfigRef,
      nullable: true,
      ...requires('ORG_MANAGE'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      load: (ids: string[], ctx) => ctx.services.aiConfigs.getMany(actorOf(ctx), ids),
      sort: (found) => found.id,
      resolve: (_root, args) => String(args.id),
    }),
    aiConfigByName: t.field({
      type: AiConfigRef,
      nullable: true,
      ...requires('ORG_MANAGE'),
      args: { name: t.arg.string({ required: true, validate: z.string().max(200) }) },
      resolve: (_root, args, ctx) => ctx.services.aiConfigs.getByName(actorOf(ctx), args.name),
    }),
    aiConfigs: t.connection({
      type: AiConfigRef,
      ...requires('ORG_MANAGE'),
      resolve: (_root, args, ctx) => offsetPage(args, (offset, limit) => ctx.services.aiConfigs.list(actorOf(ctx), offset, limit)),
    }),
  }));

  builder.mutationFields((t) => ({
    upsertAiConfig: t.field({
      type: AiConfigRef,
      description: 'Creates the AI configuration, or makes the one with this name match the input.',
      ...requires('ORG_MANAGE'),
      errors: {},
      args: { input: t.arg({ type: UpsertAiConfigInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.aiConfigs.upsert(actorOf(ctx), ctx.origin, input),
    }),
    deleteAiConfig: t.id({
      description: 'Refused (Conflict) while a datasource uses it.',
      ...requires('ORG_MANAGE'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.aiConfigs.delete(actorOf(ctx), ctx.origin, String(args.id)),
    }),
    testAiConfig: t.field({
      type: AiConfigCheckRef,
      description: 'One real call to the model with a harmless statement.',
      ...requires('ORG_MANAGE'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.aiConfigs.test(actorOf(ctx), ctx.origin, String(args.id)),
    }),
  }));
}

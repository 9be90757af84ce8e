import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn, updatedAtColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';

export const AI_PROVIDERS = ['ANTHROPIC', 'OPENAI', 'OPENAI_COMPATIBLE', 'OLLAMA', 'HUGGING_FACE'] as const;
export type AiProvider = (typeof AI_PROVIDERS)[number];

/** A model an organization's datasources may send statements to for risk review (FEATURES E1). */
export const AiConfigEntity = defineEntity({
  name: 'AiConfig',
  tableName: 'ai_configs',
  uniques: [{ properties: ['organizationId', 'name'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    name: p.string().length(200),
    aiProvider: p.enum(AI_PROVIDERS),
    model: p.string().length(200),
    /** Base URL of the service; null → the provider's public API. */
    endpoint: p.string().length(500).nullable(),
    /** AES-256-GCM (crypto/secretbox.ts); never leaves the server, never logged or audited. */
    apiKeyEncrypted: p.text().nullable(),
    /** Counts key changes, so clients (Terraform) notice a rotation without ever reading the key. */
    apiKeyVersion: p.integer().default(0),
    timeoutMs: p.integer().default(30_000),
    maxPromptTokens: p.integer().default(8_000),
    maxCompletionTokens: p.integer().default(1_024),
    /** The user prompt; null → the built-in one. Contains `{{sql}}`. */
    systemPromptTemplate: p.text().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  ...TENANT_TABLE,
});
export type AiConfig = InferEntity<typeof AiConfigEntity>;

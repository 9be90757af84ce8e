/**
 * AI configurations (FEATURES E1): upsert by name within the organization (authoritative: an omitted optional
 * field takes its default), the API key encrypted and write-only, deletion refused while a datasource uses one,
 * and a live test call. Switching a datasource to another configuration needs no restart: each review reads it.
 */
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../../errors.ts';
import { decryptSecret, encryptSecret } from '../../crypto/secretbox.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import { flushOrConflict, type EntityManager, type Store } from '../../store/store.ts';
import { auditOriginOf, type AuditService } from '../audit/audit.service.ts';
import { AuditedService } from '../audit/audited-service.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import { AiConfigEntity, type AiConfig, type AiProvider } from './ai-config.entity.ts';
import { analyzerFor, type AnalyzerSettings } from './analyzers.ts';
import { templateProblem } from './prompt.ts';

export interface AiConfigSettings {
  aiProvider: AiProvider;
  model: string;
  endpoint: string | null;
  timeoutMs: number;
  maxPromptTokens: number;
  maxCompletionTokens: number;
  systemPromptTemplate: string | null;
}

export type UpsertAiConfigInput = { [K in keyof AiConfigSettings]?: AiConfigSettings[K] | null } & {
  name: string;
  aiProvider: AiProvider;
  model: string;
  /** Write-only. Omitted on update → the stored key is kept. */
  apiKey?: string | null;
};

export interface AiConfigCheck {
  ok: boolean;
  model: string;
  latencyMs: number;
  message: string;
}

const DEFAULTS = { timeoutMs: 30_000, maxPromptTokens: 8_000, maxCompletionTokens: 1_024 } as const;
const BOUNDS = { timeoutMs: [1_000, 120_000], maxPromptTokens: [256, 200_000], maxCompletionTokens: [64, 32_000] } as const;
/** Providers without a public default: the endpoint says where the model runs. */
const NEEDS_ENDPOINT: readonly AiProvider[] = ['OPENAI_COMPATIBLE', 'OLLAMA', 'HUGGING_FACE'];
/** Providers whose service always wants a key. */
const NEEDS_KEY: readonly AiProvider[] = ['ANTHROPIC', 'OPENAI'];

export class AiConfigService extends AuditedService {
  private readonly encryptionKey: Buffer;

  constructor(store: Store, audit: AuditService, encryptionKey: Buffer) {
    super(store, audit);
    this.encryptionKey = encryptionKey;
  }

  /** Several by id in one transaction (missing ones are left out). */
  async getMany(actor: Actor, ids: readonly string[]): Promise<AiConfig[]> {
    return this.store.tenant(actor.orgId, (em) => em.find(AiConfigEntity, { id: { $in: [...ids] } }));
  }

  async getByName(actor: Actor, name: string): Promise<AiConfig | null> {
    return this.store.tenant(actor.orgId, (em) => em.findOne(AiConfigEntity, { name }));
  }

  async list(actor: Actor, offset: number, limit: number): Promise<AiConfig[]> {
    return this.store.tenant(actor.orgId, (em) => em.find(AiConfigEntity, {}, { orderBy: { name: 'asc', id: 'asc' }, offset, limit }));
  }

  async upsert(actor: Actor, origin: Origin, input: UpsertAiConfigInput): Promise<AiConfig> {
    const settings = settingsOf(input);
    const keyGiven = input.apiKey !== undefined && input.apiKey !== null;
    return this.store.tenant(actor.orgId, async (em) => {
      const existing = await em.findOne(AiConfigEntity, { name: input.name });
      if (existing?.apiKeyEncrypted && !keyGiven && (existing.endpoint !== settings.endpoint || existing.aiProvider !== settings.aiProvider)) {
        // The stored key is never sent to an address (or a provider) it was not given for.
        const message = 'must be given again when the endpoint or the provider changes: the stored key is never sent to a new address';
        throw new ValidationError(`apiKey: ${message}`, [{ path: 'apiKey', message }]);
      }
      validate(settings, keyGiven || existing?.apiKeyEncrypted != null);
      const config = existing ?? em.create(AiConfigEntity, { organizationId: actor.orgId, name: input.name, ...settings });
      em.assign(config, settings);
      if (keyGiven) {
        config.apiKeyEncrypted = encryptSecret(this.encryptionKey, input.apiKey!);
        config.apiKeyVersion = (existing?.apiKeyVersion ?? 0) + 1;
      }
      await flushOrConflict(em, `an AI configuration named "${input.name}" already exists`);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: existing ? 'AI_CONFIG_UPDATED' : 'AI_CONFIG_CREATED',
        targetType: 'AiConfig',
        targetId: config.id,
        // Never the key: only whether it changed.
        metadata: { name: config.name, ...settings, apiKeyChanged: keyGiven },
      });
      return config;
    });
  }

  async delete(actor: Actor, origin: Origin, id: string): Promise<string> {
    return this.store.tenant(actor.orgId, async (em) => {
      const config = await this.mustFind(em, id);
      const users = await em.find(DatasourceEntity, { aiConfigId: id }, { fields: ['name'], limit: 3 });
      if (users.length > 0) throw new ConflictError(`AI configuration "${config.name}" is used by datasource ${users.map((d) => `"${d.name}"`).join(', ')}: point them elsewhere first`);
      em.remove(config);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), { action: 'AI_CONFIG_DELETED', targetType: 'AiConfig', targetId: id, metadata: { name: config.name } });
      return id;
    });
  }

  /** One real call with a harmless statement; the outcome is returned (and audited), not thrown. */
  async test(actor: Actor, origin: Origin, id: string): Promise<AiConfigCheck> {
    const config = await this.store.tenant(actor.orgId, (em) => this.mustFind(em, id));
    const outcome = await analyzerFor(this.analyzerSettings(config)).analyze({ sql: 'SELECT 1', dbType: 'POSTGRESQL', schemaContext: [], language: 'English' });
    const check: AiConfigCheck = {
      ok: outcome.ok,
      model: outcome.model,
      latencyMs: outcome.latencyMs,
      message: outcome.ok ? `answered: ${outcome.level} risk, score ${outcome.score}` : outcome.reason,
    };
    await this.store.tenant(actor.orgId, (em) =>
      this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'AI_CONFIG_TESTED',
        targetType: 'AiConfig',
        targetId: id,
        metadata: { ok: check.ok, model: check.model, latencyMs: check.latencyMs, message: check.message, inputTokens: outcome.usage.inputTokens, outputTokens: outcome.usage.outputTokens },
      }),
    );
    return check;
  }

  /** What an analyzer needs, the key decrypted (it goes to the provider only). */
  analyzerSettings(config: AiConfig): AnalyzerSettings {
    return {
      aiProvider: config.aiProvider,
      model: config.model,
      endpoint: config.endpoint ?? null,
      apiKey: config.apiKeyEncrypted ? decryptSecret(this.encryptionKey, config.apiKeyEncrypted) : null,
      timeoutMs: config.timeoutMs,
      maxPromptTokens: config.maxPromptTokens,
      maxCompletionTokens: config.maxCompletionTokens,
      systemPromptTemplate: config.systemPromptTemplate ?? null,
    };
  }

  private async mustFind(em: EntityManager, id: string): Promise<AiConfig> {
    const config = await em.findOne(AiConfigEntity, { id });
    if (!config) throw new NotFoundError('AiConfig', id);
    return config;
  }
}

/** The stored, non-secret settings of an input, field by field, so the key can never reach them or the audit log. */
function settingsOf(input: UpsertAiConfigInput): AiConfigSettings {
  return {
    aiProvider: input.aiProvider,
    model: input.model.trim(),
    endpoint: input.endpoint?.trim() || null,
    timeoutMs: input.timeoutMs ?? DEFAULTS.timeoutMs,
    maxPromptTokens: input.maxPromptTokens ?? DEFAULTS.maxPromptTokens,
    maxCompletionTokens: input.maxCompletionTokens ?? DEFAULTS.maxCompletionTokens,
    systemPromptTemplate: input.systemPromptTemplate ?? null,
  };
}

function validate(settings: AiConfigSettings, hasKey: boolean): void {
  const issues: FieldIssue[] = [];
  for (const [path, [min, max]] of Object.entries(BOUNDS) as [keyof typeof BOUNDS, readonly [number, number]][]) {
    const value = settings[path];
    if (!Number.isInteger(value) || value < min || value > max) issues.push({ path, message: `must be ${min} to ${max}` });
  }
  if (settings.model === '') issues.push({ path: 'model', message: 'must not be empty' });
  if (settings.endpoint === null && NEEDS_ENDPOINT.includes(settings.aiProvider)) issues.push({ path: 'endpoint', message: `is required for ${settings.aiProvider}` });
  if (settings.endpoint !== null) {
    const problem = endpointProblem(settings.endpoint);
    if (problem) issues.push({ path: 'endpoint', message: problem });
  }
  if (!hasKey && NEEDS_KEY.includes(settings.aiProvider)) issues.push({ path: 'apiKey', message: `is required for ${settings.aiProvider}` });
  if (settings.systemPromptTemplate !== null) {
    const problem = templateProblem(settings.systemPromptTemplate);
    if (problem) issues.push({ path: 'systemPromptTemplate', message: problem });
  }
  if (issues.length > 0) throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

function endpointProblem(endpoint: string): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an absolute http(s) URL';
  // The key belongs in apiKey (encrypted, write-only), not in a URL that is stored and shown as it is.
  if (url.username || url.password) return 'must not contain credentials: set apiKey';
  if (url.search || url.hash) return 'must not have a query or fragment';
  return null;
}

/**
 * Datasources (FEATURES B1): upsert by name within the organization (authoritative: an omitted optional field
 * takes its default), a live connection test before anything is saved, the password encrypted and write-only.
 */
import { X509Certificate } from 'node:crypto';
import { ConnectionFailedError, NotFoundError, ValidationError } from '../../errors.ts';
import { decryptSecret, encryptSecret } from '../../crypto/secretbox.ts';
import { EngineError, engineFor, type ConnectionSpec, type DbType, type SslMode } from '../../engines/engine.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import { flushOrConflict, type EntityManager, type Store } from '../../store/store.ts';
import { auditOriginOf, type AuditService } from '../audit/audit.service.ts';
import { AuditedService } from '../audit/audited-service.ts';
import { GrantEntity } from '../grants/grant.entity.ts';
import { groupIdsOf } from '../groups/memberships.ts';
import { roleHas } from '../identity/permissions.ts';
import { OrganizationEntity } from '../orgs/organization.entity.ts';
import { assertWithinQuota } from '../orgs/quota.ts';
import { ReviewPlanEntity } from '../review/review-plan.entity.ts';
import { AiConfigEntity } from '../ai/ai-config.entity.ts';
import { DatasourceEntity, type Datasource } from './datasource.entity.ts';

export interface DatasourceSettings {
  dbType: DbType;
  host: string;
  port: number;
  replicaHost: string | null;
  replicaPort: number | null;
  databaseName: string;
  username: string;
  sslMode: SslMode;
  sslRootCertificate: string | null;
  connectionPoolSize: number;
  maxRowsPerQuery: number;
  statementTimeoutSeconds: number;
  requireReviewReads: boolean;
  requireReviewWrites: boolean;
  aiAnalysisEnabled: boolean;
  textToSqlEnabled: boolean;
  reviewPlanId: string | null;
  aiConfigId: string | null;
  active: boolean;
}

export type UpsertDatasourceInput = { [K in Exclude<keyof DatasourceSettings, 'dbType' | 'host' | 'port' | 'databaseName' | 'username'>]?: DatasourceSettings[K] | null } & {
  name: string;
  dbType: DbType;
  host: string;
  port?: number | null;
  databaseName: string;
  username: string;
  /** Write-only. Omitted on update → the stored password is kept. */
  password?: string | null;
  /** Test the connection before saving (default true). */
  verifyConnection?: boolean | null;
};

export interface ConnectionCheck {
  ok: boolean;
  serverVersion: string | null;
  latencyMs: number | null;
  error: string | null;
}

const DEFAULTS = {
  sslMode: 'DISABLE',
  sslRootCertificate: null,
  connectionPoolSize: 10,
  maxRowsPerQuery: 1000,
  statementTimeoutSeconds: 30,
  requireReviewReads: false,
  requireReviewWrites: true,
  aiAnalysisEnabled: true,
  textToSqlEnabled: false,
  reviewPlanId: null,
  aiConfigId: null,
  active: true,
} as const;

const DEFAULT_PORTS: Record<DbType, number> = { POSTGRESQL: 5432, MYSQL: 3306, MARIADB: 3306 };
/** Fields whose change needs a new pool and a fresh connection test. */
const CONNECTION_FIELDS = ['dbType', 'host', 'port', 'replicaHost', 'replicaPort', 'databaseName', 'username', 'sslMode', 'sslRootCertificate', 'connectionPoolSize', 'statementTimeoutSeconds'] as const;
/** Bound on the PEM text of trusted authorities: a bundle of a few certificates. */
const MAX_ROOT_CERTIFICATE_CHARS = 64 * 1024;

export class DatasourceService extends AuditedService {
  private readonly encryptionKey: Buffer;

  constructor(store: Store, audit: AuditService, encryptionKey: Buffer) {
    super(store, audit);
    this.encryptionKey = encryptionKey;
  }

  /** Several by id in one transaction (missing or invisible ones are left out). */
  async getMany(actor: Actor, ids: readonly string[]): Promise<Datasource[]> {
    return this.store.tenant(actor.orgId, async (em) => em.find(DatasourceEntity, { $and: [{ id: { $in: [...ids] } }, await this.visibleTo(em, actor)] }));
  }

  async get(actor: Actor, id: string): Promise<Datasource | null> {
    return this.store.tenant(actor.orgId, async (em) => em.findOne(DatasourceEntity, { $and: [{ id }, await this.visibleTo(em, actor)] }));
  }

  async getByName(actor: Actor, name: string): Promise<Datasource | null> {
    return this.store.tenant(actor.orgId, async (em) => em.findOne(DatasourceEntity, { name, ...(await this.visibleTo(em, actor)) }));
  }

  async list(actor: Actor, offset: number, limit: number): Promise<Datasource[]> {
    return this.store.tenant(actor.orgId, async (em) =>
      em.find(DatasourceEntity, await this.visibleTo(em, actor), { orderBy: { name: 'asc', id: 'asc' }, offset, limit }),
    );
  }

  /** A datasource as part of something the caller may already see (a request's datasource), grants aside. */
  async ofRequest(orgId: string, id: string): Promise<Datasource | null> {
    return this.store.tenant(orgId, (em) => em.findOne(DatasourceEntity, { id }));
  }

  /**
   * Admins and datasource managers see every datasource; everyone else those they hold a live grant on. Combine
   * it with `$and`: spread into a filter that names an id, its own `id` would replace the one asked for.
   */
  private async visibleTo(em: EntityManager, actor: Actor): Promise<{ id?: { $in: string[] } }> {
    if (actor.role === 'ADMIN' || roleHas(actor.role, 'DATASOURCES_MANAGE')) return {};
    const groupIds = await groupIdsOf(em, actor.userId);
    const grants = await em.find(
      GrantEntity,
      { $and: [{ $or: [{ userId: actor.userId }, ...(groupIds.length ? [{ groupId: { $in: groupIds } }] : [])] }, { $or: [{ expiresAt: null }, { expiresAt: { $gt: new Date() } }] }] },
      { fields: ['datasourceId'] },
    );
    return { id: { $in: [...new Set(grants.map((g) => g.datasourceId))] } };
  }

  async upsert(actor: Actor, origin: Origin, input: UpsertDatasourceInput): Promise<Datasource> {
    const settings = settingsOf(input);
    validate(settings);
    return this.store.tenant(actor.orgId, async (em) => {
      const existing = await em.findOne(DatasourceEntity, { name: input.name });
      if (!existing) {
        const org = await em.findOneOrFail(OrganizationEntity, { id: actor.orgId });
        assertWithinQuota('maxDatasources', org.maxDatasources, await em.count(DatasourceEntity, {}));
      }
      if (settings.reviewPlanId && !(await em.findOne(ReviewPlanEntity, { id: settings.reviewPlanId }))) {
        throw new NotFoundError('ReviewPlan', settings.reviewPlanId);
      }
      if (settings.aiConfigId && !(await em.findOne(AiConfigEntity, { id: settings.aiConfigId }))) throw new NotFoundError('AiConfig', settings.aiConfigId);
      const passwordChanged = input.password !== undefined && input.password !== null;
      const password = passwordChanged ? input.password! : existing?.passwordEncrypted ? decryptSecret(this.encryptionKey, existing.passwordEncrypted) : '';
      const connectionChanged = !existing || passwordChanged || CONNECTION_FIELDS.some((field) => existing[field] !== settings[field]);
      if (connectionChanged && input.verifyConnection !== false) {
        const check = await testConnection(settings.dbType, specOf(settings, password));
        if (!check.ok) throw new ConnectionFailedError(check.error ?? 'connection failed', 'CONNECTION');
      }

      const datasource = existing ?? em.create(DatasourceEntity, { organizationId: actor.orgId, name: input.name, ...settings });
      em.assign(datasource, settings);
      if (passwordChanged) {
        datasource.passwordEncrypted = encryptSecret(this.encryptionKey, password);
        datasource.passwordVersion = (existing?.passwordVersion ?? 0) + 1;
      }
      await flushOrConflict(em, `a datasource named "${input.name}" already exists`);
      if (existing && connectionChanged) await engineFor(existing.dbType).evict(existing.id);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: existing ? 'DATASOURCE_UPDATED' : 'DATASOURCE_CREATED',
        targetType: 'Datasource',
        targetId: datasource.id,
        // Never the password: only whether it changed.
        metadata: { name: datasource.name, ...settings, passwordChanged },
      });
      return datasource;
    });
  }

  async delete(actor: Actor, origin: Origin, id: string): Promise<string> {
    return this.store.tenant(actor.orgId, async (em) => {
      const datasource = await this.mustFind(em, id);
      em.remove(datasource);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'DATASOURCE_DELETED',
        targetType: 'Datasource',
        targetId: id,
        metadata: { name: datasource.name },
      });
      await engineFor(datasource.dbType).evict(id);
      return id;
    });
  }

  /** Tests the stored settings; the outcome is returned (and audited), not thrown. */
  async test(actor: Actor, origin: Origin, id: string): Promise<ConnectionCheck> {
    return this.store.tenant(actor.orgId, async (em) => {
      const datasource = await this.mustFind(em, id);
      const check = await testConnection(datasource.dbType, this.connectionSpec(datasource));
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'DATASOURCE_CONNECTION_TESTED',
        targetType: 'Datasource',
        targetId: id,
        metadata: { ok: check.ok, error: check.error },
      });
      return check;
    });
  }

  /** What the engine needs to connect, with the password decrypted (never returned to a client). */
  connectionSpec(datasource: Datasource): ConnectionSpec {
    const password = datasource.passwordEncrypted ? decryptSecret(this.encryptionKey, datasource.passwordEncrypted) : '';
    return specOf(datasource, password);
  }

  /** The read replica's connection (its own pool, the primary's credentials), or null when there is none. */
  replicaSpec(datasource: Datasource): ConnectionSpec | null {
    if (!datasource.replicaHost) return null;
    return { ...this.connectionSpec(datasource), host: datasource.replicaHost, port: datasource.replicaPort ?? DEFAULT_PORTS[datasource.dbType] };
  }

  async mustFind(em: EntityManager, id: string): Promise<Datasource> {
    const datasource = await em.findOne(DatasourceEntity, { id });
    if (!datasource) throw new NotFoundError('Datasource', id);
    return datasource;
  }
}

/**
 * The stored, non-secret settings of an input: every known field, its default when omitted. Built field by
 * field so nothing else in the input (the password above all) can reach the entity's settings or the audit log.
 */
function settingsOf(input: UpsertDatasourceInput): DatasourceSettings {
  const pick = <K extends keyof typeof DEFAULTS>(key: K) => (input[key] ?? DEFAULTS[key]) as DatasourceSettings[K];
  return {
    dbType: input.dbType,
    host: input.host,
    port: input.port ?? DEFAULT_PORTS[input.dbType],
    replicaHost: input.replicaHost ?? null,
    replicaPort: input.replicaHost ? (input.replicaPort ?? DEFAULT_PORTS[input.dbType]) : null,
    databaseName: input.databaseName,
    username: input.username,
    sslMode: pick('sslMode'),
    sslRootCertificate: pick('sslRootCertificate'),
    connectionPoolSize: pick('connectionPoolSize'),
    maxRowsPerQuery: pick('maxRowsPerQuery'),
    statementTimeoutSeconds: pick('statementTimeoutSeconds'),
    requireReviewReads: pick('requireReviewReads'),
    requireReviewWrites: pick('requireReviewWrites'),
    aiAnalysisEnabled: pick('aiAnalysisEnabled'),
    textToSqlEnabled: pick('textToSqlEnabled'),
    reviewPlanId: pick('reviewPlanId'),
    aiConfigId: pick('aiConfigId'),
    active: pick('active'),
  };
}

function specOf(
  settings: Pick<DatasourceSettings, 'host' | 'port' | 'databaseName' | 'username' | 'sslMode' | 'connectionPoolSize' | 'statementTimeoutSeconds'> & { sslRootCertificate?: string | null },
  password: string,
): ConnectionSpec {
  return {
    host: settings.host,
    port: settings.port,
    database: settings.databaseName,
    username: settings.username,
    password,
    sslMode: settings.sslMode,
    sslRootCertificate: settings.sslRootCertificate ?? null,
    poolSize: settings.connectionPoolSize,
    statementTimeoutMs: settings.statementTimeoutSeconds * 1000,
    connectTimeoutMs: 5_000,
  };
}

async function testConnection(dbType: DbType, spec: ConnectionSpec): Promise<ConnectionCheck> {
  try {
    const result = await engineFor(dbType).testConnection(spec);
    return { ok: true, serverVersion: result.serverVersion, latencyMs: Math.round(result.latencyMs), error: null };
  } catch (error) {
    if (error instanceof EngineError) return { ok: false, serverVersion: null, latencyMs: null, error: error.message };
    throw error;
  }
}

function validate(settings: DatasourceSettings): void {
  const issues: { path: string; message: string }[] = [];
  const range = (path: keyof DatasourceSettings, min: number, max: number) => {
    const value = settings[path] as number;
    if (!Number.isInteger(value) || value < min || value > max) issues.push({ path, message: `must be ${min} to ${max}` });
  };
  range('port', 1, 65535);
  if (settings.replicaHost !== null) range('replicaPort', 1, 65535);
  range('connectionPoolSize', 1, 100);
  range('maxRowsPerQuery', 1, 100_000);
  range('statementTimeoutSeconds', 1, 3600);
  if (settings.sslRootCertificate !== null) {
    const problem = rootCertificateProblem(settings.sslRootCertificate);
    if (problem) issues.push({ path: 'sslRootCertificate', message: problem });
  }
  if (issues.length > 0) throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Why a trusted-authorities text is unusable, or null: one or more PEM certificates, each one X.509 can read. */
function rootCertificateProblem(pem: string): string | null {
  if (pem.length > MAX_ROOT_CERTIFICATE_CHARS) return `must be at most ${MAX_ROOT_CERTIFICATE_CHARS} characters`;
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) return 'must be one or more PEM certificates (-----BEGIN CERTIFICATE----- …)';
  if (pem.replace(PEM_CERTIFICATE, '').trim() !== '') return 'must hold PEM certificates only (no keys or other text)';
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      return `certificate ${index + 1} is not a readable X.509 certificate`;
    }
  }
  return null;
}

/**
 * The schema explorer (FEATURES B4): a datasource's catalog, introspected by its engine and cached in each
 * replica's memory for CACHE_TTL_MS, shown to each caller through their grants (schema-view.ts); and the
 * governed sample preview, which is an ordinary governed request.
 *
 * A cached introspection is read again when it is older than the TTL, when the datasource's settings changed
 * (its updatedAt), or when `refresh` ran on ANY replica since: a refresh is an audit event
 * (DATASOURCE_SCHEMA_REFRESHED), and each read looks up the latest one (an indexed lookup by action), so every
 * replica notices it on its next read without a shared cache.
 */
import { ConnectionFailedError, NotFoundError, ValidationError } from '../../errors.ts';
import { EngineError, engineFor } from '../../engines/engine.ts';
import type { SchemaSnapshot } from '../../engines/introspection.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import type { EntityManager, Store } from '../../store/store.ts';
import { AuditEventEntity } from '../audit/audit-event.entity.ts';
import { auditOriginOf, type AuditService } from '../audit/audit.service.ts';
import { AuditedService } from '../audit/audited-service.ts';
import { ClassificationTagEntity } from '../classification/classification-tag.entity.ts';
import { DatasourceEntity, type Datasource } from '../datasources/datasource.entity.ts';
import type { DatasourceService } from '../datasources/datasource.service.ts';
import type { GrantService } from '../grants/grant.service.ts';
import { groupIdsOf } from '../groups/memberships.ts';
import { roleHas } from '../identity/permissions.ts';
import type { MaskingPolicyService } from '../masking/masking-policy.service.ts';
import { defaultSchemaAsWritten } from '../requests/admission.ts';
import type { QueryRequest } from '../requests/query-request.entity.ts';
import type { QueryRequestService } from '../requests/query-request.service.ts';
import { qualifiedNameOf, queryNameFor, viewOf, type SchemaView, type Viewer } from './schema-view.ts';

/** How long an introspection is served from the cache. */
export const CACHE_TTL_MS = 10 * 60_000;
/** Datasources whose schema one replica keeps at most (the least recently introspected go first). */
const CACHE_MAX_ENTRIES = 500;
export const PREVIEW_MAX_ROWS = 100;
export const PREVIEW_DEFAULT_ROWS = 20;
const SEARCH_MAX_LENGTH = 200;

interface CacheEntry {
  /** The datasource's updatedAt when it was read: a changed datasource is introspected again. */
  version: number;
  introspectedAt: Date;
  /** The latest refresh (audit event time) this entry already reflects; a later one makes it stale. */
  freshAsOf: Date;
  snapshot: SchemaSnapshot;
}

/** The datasource, what shapes the caller's view of it, and when its schema was last refreshed (any replica). */
interface Seen {
  datasource: Datasource;
  viewer: Viewer;
  refreshedAt: Date | null;
}

export interface DatasourceSchemaView extends SchemaView {
  datasourceId: string;
  introspectedAt: Date;
  truncated: boolean;
}

export interface PreviewTableInput {
  datasourceId: string;
  /** `schema.table`, or a bare name in the default schema (`public`, the MySQL database). */
  table: string;
  limit?: number | null;
}

export class ExplorerService extends AuditedService {
  private readonly datasources: DatasourceService;
  private readonly grants: GrantService;
  private readonly masking: MaskingPolicyService;
  private readonly queryRequests: QueryRequestService;
  private readonly cache = new Map<string, CacheEntry>();
  /** One introspection at a time per datasource: concurrent callers share it. */
  private readonly inFlight = new Map<string, Promise<CacheEntry>>();

  constructor(deps: {
    store: Store;
    audit: AuditService;
    datasources: DatasourceService;
    grants: GrantService;
    masking: MaskingPolicyService;
    queryRequests: QueryRequestService;
  }) {
    super(deps.store, deps.audit);
    this.datasources = deps.datasources;
    this.grants = deps.grants;
    this.masking = deps.masking;
    this.queryRequests = deps.queryRequests;
  }

  /** The caller's view of the datasource's schema, from the cache when it is fresh. */
  async schema(actor: Actor, datasourceId: string, search: string | null): Promise<DatasourceSchemaView | null> {
    const needle = validSearch(search);
    const seen = await this.viewerOf(actor, datasourceId);
    if (!seen) return null;
    return viewFor(seen.datasource, await this.snapshotOf(seen, false), seen.viewer, needle);
  }

  /** Introspects again now (audited) and returns the caller's view of the fresh schema. */
  async refresh(actor: Actor, origin: Origin, datasourceId: string): Promise<DatasourceSchemaView> {
    const seen = await this.mustView(actor, datasourceId);
    const entry = await this.snapshotOf(seen, true);
    const event = await this.store.tenant(actor.orgId, (em) =>
      this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: REFRESHED,
        targetType: 'Datasource',
        targetId: seen.datasource.id,
        metadata: { tables: entry.snapshot.tables.length, schemas: entry.snapshot.schemas.length, truncated: entry.snapshot.truncated, introspectedAt: entry.introspectedAt.toISOString() },
      }),
    );
    // This replica's entry is what the refresh read: the event must not make it look stale here.
    if (entry.freshAsOf < event.createdAt) entry.freshAsOf = event.createdAt;
    return viewFor(seen.datasource, entry, seen.viewer, null);
  }

  /**
   * A few rows of one table through the governed path: `SELECT * FROM <table> LIMIT n` submitted as the caller
   * with `execute`, so role, grants, row security, masking, review routing and the audit log apply exactly as to
   * any query they type. Only tables the caller can see in the explorer can be previewed.
   */
  async preview(actor: Actor, origin: Origin, input: PreviewTableInput): Promise<QueryRequest> {
    const limit = input.limit ?? PREVIEW_DEFAULT_ROWS;
    if (!Number.isInteger(limit) || limit < 1 || limit > PREVIEW_MAX_ROWS) {
      throw new ValidationError(`limit: must be 1 to ${PREVIEW_MAX_ROWS}`, [{ path: 'limit', message: `must be 1 to ${PREVIEW_MAX_ROWS}` }]);
    }
    const wanted = input.table.trim();
    if (wanted === '' || wanted.length > 500) throw new ValidationError('table: schema.table or table', [{ path: 'table', message: 'schema.table or table' }]);
    const seen = await this.mustView(actor, input.datasourceId);
    const { datasource, viewer } = seen;
    const { snapshot } = await this.snapshotOf(seen, false);
    const table =
      snapshot.tables.find((t) => qualifiedNameOf(t) === wanted) ??
      snapshot.tables.find((t) => t.schema === viewer.defaultSchema && t.name === wanted);
    const queryName = table ? queryNameFor(viewer, table) : null;
    // A table the caller may not see is as unknown to them as one that does not exist.
    if (!table || !queryName) throw new NotFoundError('Table', wanted);
    const quote = datasource.dbType === 'POSTGRESQL' ? quotePostgres : quoteMysql;
    const from = queryName.schema === null ? quote(queryName.name) : `${quote(queryName.schema)}.${quote(queryName.name)}`;
    return this.queryRequests.submit(actor, origin, {
      datasourceId: datasource.id,
      query: `SELECT * FROM ${from} LIMIT ${limit}`,
      justification: `Sample preview of ${qualifiedNameOf(table)} from the schema explorer`,
      execute: true,
    });
  }

  private async mustView(actor: Actor, datasourceId: string): Promise<Seen> {
    const seen = await this.viewerOf(actor, datasourceId);
    if (!seen) throw new NotFoundError('Datasource', datasourceId);
    return seen;
  }

  /** Null unless the caller may see the datasource (datasource managers see every one, everyone else needs a live grant). */
  private async viewerOf(actor: Actor, datasourceId: string): Promise<Seen | null> {
    return this.store.tenant(actor.orgId, async (em) => {
      const datasource = await em.findOne(DatasourceEntity, { id: datasourceId });
      if (!datasource) return null;
      const groupIds = await groupIdsOf(em, actor.userId);
      const manager = roleHas(actor.role, 'DATASOURCES_MANAGE');
      const access = manager ? null : await this.grants.effectiveAccess(em, actor.userId, groupIds, datasource);
      if (access !== null && access.grantIds.length === 0) return null;
      return {
        datasource,
        viewer: {
          access,
          // Masking has no implicit bypass (FEATURES C7): managers see the masks their own queries get, too.
          policies: await this.masking.policiesFor(em, datasource.id, { userId: actor.userId, role: actor.role, groupIds }),
          tags: await tagsOf(em, datasource.id),
          defaultSchema: defaultSchemaAsWritten(datasource),
        },
        refreshedAt: await lastRefreshOf(em, datasource.id),
      };
    });
  }

  private async snapshotOf({ datasource, refreshedAt }: Seen, fresh: boolean): Promise<CacheEntry> {
    const version = datasource.updatedAt.getTime();
    const cached = this.cache.get(datasource.id);
    const valid =
      cached !== undefined &&
      cached.version === version &&
      Date.now() - cached.introspectedAt.getTime() < CACHE_TTL_MS &&
      (refreshedAt === null || cached.freshAsOf >= refreshedAt);
    if (!fresh && valid) return cached;
    const running = this.inFlight.get(datasource.id);
    if (running) return running;
    const introspection = this.introspect(datasource, version, refreshedAt).finally(() => this.inFlight.delete(datasource.id));
    this.inFlight.set(datasource.id, introspection);
    return introspection;
  }

  private async introspect(datasource: Datasource, version: number, refreshedAt: Date | null): Promise<CacheEntry> {
    const startedAt = new Date();
    let snapshot: SchemaSnapshot;
    try {
      snapshot = await engineFor(datasource.dbType).introspect(datasource.id, this.datasources.connectionSpec(datasource));
    } catch (error) {
      if (error instanceof EngineError) throw new ConnectionFailedError(error.message, error.kind);
      throw error;
    }
    // Read after the refresh it reacts to (if any), so that refresh is reflected.
    const freshAsOf = refreshedAt !== null && refreshedAt > startedAt ? refreshedAt : startedAt;
    const entry: CacheEntry = { version, introspectedAt: new Date(), freshAsOf, snapshot };
    this.cache.delete(datasource.id);
    this.cache.set(datasource.id, entry);
    if (this.cache.size > CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return entry;
  }
}

function viewFor(datasource: Datasource, entry: CacheEntry, viewer: Viewer, search: string | null): DatasourceSchemaView {
  return {
    datasourceId: datasource.id,
    introspectedAt: entry.introspectedAt,
    truncated: entry.snapshot.truncated,
    ...viewOf(entry.snapshot, viewer, search),
  };
}

function validSearch(search: string | null): string | null {
  const trimmed = search?.trim() ?? '';
  if (trimmed.length > SEARCH_MAX_LENGTH) {
    throw new ValidationError(`search: at most ${SEARCH_MAX_LENGTH} characters`, [{ path: 'search', message: `at most ${SEARCH_MAX_LENGTH} characters` }]);
  }
  return trimmed === '' ? null : trimmed;
}

async function tagsOf(em: EntityManager, datasourceId: string) {
  return em.find(ClassificationTagEntity, { datasourceId });
}

const REFRESHED = 'DATASOURCE_SCHEMA_REFRESHED';

/** When the datasource's schema was last refreshed, on any replica (the audit log's record of it). */
async function lastRefreshOf(em: EntityManager, datasourceId: string): Promise<Date | null> {
  const [latest] = await em.find(AuditEventEntity, { action: REFRESHED, targetId: datasourceId }, { orderBy: { createdAt: 'desc' }, limit: 1, fields: ['createdAt'] });
  return latest?.createdAt ?? null;
}

function quotePostgres(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

function quoteMysql(identifier: string): string {
  return `\`${identifier.replaceAll('`', '``')}\``;
}

/**
 * Datasource health (FEATURES B5): the engine's pool on this replica, a live connection check, and a trailing
 * 24-hour summary of the datasource's governed requests read from the store (volume per hour, p50/p95 execution
 * time, failures and the last error). Read-only; nothing is written or audited.
 */
import { EngineError, engineFor, type ConnectionSpec, type DbType } from '../../engines/engine.ts';
import type { Actor } from '../../graphql/context.ts';
import type { EntityManager, Store } from '../../store/store.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import type { DatasourceService } from '../datasources/datasource.service.ts';

export const WINDOW_HOURS = 24;
const HOUR_MS = 3_600_000;

export interface HourlyVolume {
  /** Start of the hour (UTC). */
  hour: Date;
  /** Requests submitted in the hour. */
  submitted: number;
  /** Requests that finished executing in the hour, successfully or not. */
  executed: number;
  failed: number;
}

export interface DatasourceHealth {
  datasourceId: string;
  checkedAt: Date;
  since: Date;
  /** null: no pool on this replica yet (pools open on a datasource's first request). */
  pool: { max: number; total: number; active: number; idle: number; waiting: number } | null;
  connection: { ok: boolean; latencyMs: number | null; serverVersion: string | null; error: string | null };
  /** WINDOW_HOURS entries, oldest first; the last one is the current (partial) hour. */
  volume: HourlyVolume[];
  submitted: number;
  executed: number;
  errorCount: number;
  /** Over successful executions in the window; null when there were none. */
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  /** The most recent failure of the datasource, in the window or before. */
  lastError: { requestId: string; message: string; at: Date } | null;
}

interface Bucket {
  bucket: string;
  submitted: string;
  executed: string;
  failed: string;
}

export class HealthService {
  private readonly store: Store;
  private readonly datasources: DatasourceService;

  constructor(store: Store, datasources: DatasourceService) {
    this.store = store;
    this.datasources = datasources;
  }

  /** null when the datasource is not one of the caller's organization. */
  async health(actor: Actor, datasourceId: string): Promise<DatasourceHealth | null> {
    const [report] = await this.reports(actor, datasourceId);
    return report ?? null;
  }

  /** Every datasource of the organization, by name; the live checks run in parallel. */
  async all(actor: Actor): Promise<DatasourceHealth[]> {
    return this.reports(actor, null);
  }

  private async reports(actor: Actor, datasourceId: string | null): Promise<DatasourceHealth[]> {
    const checkedAt = new Date();
    // Hours are counted as whole hours since the epoch, so buckets are UTC hours whatever the session time zone.
    const currentHour = Math.floor(checkedAt.getTime() / HOUR_MS);
    const firstHour = currentHour - WINDOW_HOURS + 1;
    const since = new Date(firstHour * HOUR_MS);
    const reads = await this.store.tenant(actor.orgId, async (em) => {
      const datasources = await em.find(DatasourceEntity, datasourceId ? { id: datasourceId } : {}, { orderBy: { name: 'asc', id: 'asc' } });
      const out = [];
      for (const datasource of datasources) out.push({ datasource, spec: this.datasources.connectionSpec(datasource), ...(await statsOf(em, datasource.id, since)) });
      return out;
    });
    return Promise.all(
      reads.map(async ({ datasource, spec, buckets, durations, lastError }) => {
        const byHour = new Map(buckets.map((b) => [Number(b.bucket), b]));
        const volume: HourlyVolume[] = [];
        for (let hour = firstHour; hour <= currentHour; hour++) {
          const bucket = byHour.get(hour);
          volume.push({
            hour: new Date(hour * HOUR_MS),
            submitted: Number(bucket?.submitted ?? 0),
            executed: Number(bucket?.executed ?? 0),
            failed: Number(bucket?.failed ?? 0),
          });
        }
        const stats = engineFor(datasource.dbType).poolStats(datasource.id);
        return {
          datasourceId: datasource.id,
          checkedAt,
          since,
          pool: stats && { max: datasource.connectionPoolSize, active: stats.total - stats.idle, ...stats },
          connection: await check(datasource.dbType, spec),
          volume,
          submitted: sum(volume, 'submitted'),
          executed: sum(volume, 'executed'),
          errorCount: sum(volume, 'failed'),
          p50DurationMs: numberOrNull(durations?.p50),
          p95DurationMs: numberOrNull(durations?.p95),
          lastError: lastError ? { requestId: lastError.id, message: lastError.error ?? '', at: new Date(lastError.at) } : null,
        };
      }),
    );
  }
}

/** The datasource's requests since `since`, in the caller's (tenant) transaction. */
async function statsOf(em: EntityManager, datasourceId: string, since: Date) {
  // Finished = EXECUTED or FAILED; a FAILED request recovered from a stopped server has no executedAt.
  const buckets = await em.execute<Bucket[]>(
    `select b.bucket::text as bucket, sum(b.submitted)::text as submitted, sum(b.executed)::text as executed, sum(b.failed)::text as failed from (
       select floor(extract(epoch from created_at) / 3600) as bucket, 1 as submitted, 0 as executed, 0 as failed
         from query_requests where datasource_id = ? and created_at >= ?
       union all
       select floor(extract(epoch from coalesce(executed_at, updated_at)) / 3600), 0, 1, case when status = 'FAILED' then 1 else 0 end
         from query_requests where datasource_id = ? and status in ('EXECUTED', 'FAILED') and coalesce(executed_at, updated_at) >= ?
     ) b group by b.bucket`,
    [datasourceId, since, datasourceId, since],
  );
  const [durations] = await em.execute<{ p50: number | null; p95: number | null }[]>(
    `select percentile_cont(0.5) within group (order by duration_ms) as p50, percentile_cont(0.95) within group (order by duration_ms) as p95
       from query_requests where datasource_id = ? and status = 'EXECUTED' and duration_ms is not null and executed_at >= ?`,
    [datasourceId, since],
  );
  const [lastError] = await em.execute<{ id: string; error: string | null; at: Date }[]>(
    `select id, error, coalesce(executed_at, updated_at) as at from query_requests
      where datasource_id = ? and status = 'FAILED' order by coalesce(executed_at, updated_at) desc, id desc limit 1`,
    [datasourceId],
  );
  return { buckets, durations, lastError };
}

/** A fresh connection (not from the pool, so a full pool does not hide a healthy server), timed round trip. */
async function check(dbType: DbType, spec: ConnectionSpec): Promise<DatasourceHealth['connection']> {
  try {
    const { serverVersion, latencyMs } = await engineFor(dbType).testConnection(spec);
    return { ok: true, latencyMs, serverVersion, error: null };
  } catch (error) {
    if (error instanceof EngineError) return { ok: false, latencyMs: null, serverVersion: null, error: error.message };
    throw error;
  }
}

function sum(volume: HourlyVolume[], key: 'submitted' | 'executed' | 'failed'): number {
  return volume.reduce((total, hour) => total + hour[key], 0);
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

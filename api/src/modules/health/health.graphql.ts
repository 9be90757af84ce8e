/** GraphQL for datasource health: one read-only snapshot per call. */
import { z } from 'zod';
import { builder, requires } from '../../graphql/builder.ts';
import { actorOf } from '../../graphql/helpers.ts';
import type { DatasourceHealth, HourlyVolume } from './health.service.ts';

export function defineHealthSchema(): void {
  const PoolRef = builder.objectRef<NonNullable<DatasourceHealth['pool']>>('DatasourcePoolStats').implement({
    description: 'The connection pool of this datasource on the server replica that answered.',
    fields: (t) => ({
      max: t.exposeInt('max', { description: 'The configured connectionPoolSize.' }),
      total: t.exposeInt('total', { description: 'Open connections.' }),
      active: t.exposeInt('active', { description: 'Connections running a request.' }),
      idle: t.exposeInt('idle'),
      waiting: t.exposeInt('waiting', { description: 'Requests waiting for a free connection.' }),
    }),
  });

  const ConnectionRef = builder.objectRef<DatasourceHealth['connection']>('DatasourceLiveCheck').implement({
    fields: (t) => ({
      ok: t.exposeBoolean('ok'),
      latencyMs: t.exposeFloat('latencyMs', { nullable: true, description: 'Round trip of a trivial query on a fresh connection.' }),
      serverVersion: t.exposeString('serverVersion', { nullable: true }),
      error: t.exposeString('error', { nullable: true, description: "The database's or network's error when not ok." }),
    }),
  });

  const VolumeRef = builder.objectRef<HourlyVolume>('HourlyRequestVolume').implement({
    fields: (t) => ({
      hour: t.expose('hour', { type: 'DateTime', description: 'Start of the hour (UTC).' }),
      submitted: t.exposeInt('submitted'),
      executed: t.exposeInt('executed', { description: 'Finished executing in this hour, successfully or not.' }),
      failed: t.exposeInt('failed'),
    }),
  });

  const LastErrorRef = builder.objectRef<NonNullable<DatasourceHealth['lastError']>>('DatasourceLastError').implement({
    fields: (t) => ({
      requestId: t.exposeID('requestId'),
      message: t.exposeString('message'),
      at: t.expose('at', { type: 'DateTime' }),
    }),
  });

  const HealthRef = builder.objectRef<DatasourceHealth>('DatasourceHealth').implement({
    description: 'Pool, a live connection check, and the trailing 24 hours of governed requests.',
    fields: (t) => ({
      datasourceId: t.exposeID('datasourceId'),
      checkedAt: t.expose('checkedAt', { type: 'DateTime' }),
      since: t.expose('since', { type: 'DateTime', description: 'Start of the 24-hour window (the first hour bucket).' }),
      pool: t.field({ type: PoolRef, nullable: true, description: 'null: pool not initialised on this replica (pools open on first use).', resolve: (h) => h.pool }),
      connection: t.field({ type: ConnectionRef, resolve: (h) => h.connection }),
      volume: t.field({ type: [VolumeRef], description: '24 hourly buckets, oldest first.', resolve: (h) => h.volume }),
      submitted: t.exposeInt('submitted'),
      executed: t.exposeInt('executed'),
      errorCount: t.exposeInt('errorCount'),
      p50DurationMs: t.exposeFloat('p50DurationMs', { nullable: true, description: 'Median execution time of successful requests.' }),
      p95DurationMs: t.exposeFloat('p95DurationMs', { nullable: true }),
      lastError: t.field({ type: LastErrorRef, nullable: true, resolve: (h) => h.lastError }),
    }),
  });

  builder.queryFields((t) => ({
    datasourceHealth: t.field({
      type: HealthRef,
      nullable: true,
      description: 'Operational health of one datasource (datasource managers only: error messages may quote data).',
      ...requires('DATASOURCES_MANAGE'),
      args: { datasourceId: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.health.health(actorOf(ctx), String(args.datasourceId)),
    }),
    datasourcesHealth: t.field({
      type: [HealthRef],
      description: 'datasourceHealth of every datasource of the organization, by name (the live checks run in parallel).',
      ...requires('DATASOURCES_MANAGE'),
      resolve: (_root, _args, ctx) => ctx.services.health.all(actorOf(ctx)),
    }),
  }));
}

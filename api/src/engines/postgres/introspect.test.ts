/** PostgreSQL catalog introspection against the real PostgreSQL 15 of the test run. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createPostgresDatabase, waitUntil } from '../../../test/servers.ts';
import { EngineError, type ConnectionSpec } from '../engine.ts';
import { PostgresEngine } from './postgres-engine.ts';

const engine = new PostgresEngine();
let spec: ConnectionSpec;
const poolKey = `ds-${randomBytes(6).toString('hex')}`;

beforeAll(async () => {
  const url = new URL(await createPostgresDatabase(inject('postgresUrl')));
  spec = { host: url.hostname, port: Number(url.port), database: url.pathname.slice(1), username: 'postgres', password: '', sslMode: 'DISABLE', sslRootCertificate: null, poolSize: 2, statementTimeoutMs: 5_000 };
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(`
    create schema sales;
    create table public.customers (id serial primary key, email varchar(200) not null unique, region text default 'eu');
    comment on table public.customers is 'people who buy';
    create table sales.orders (
      id bigint generated always as identity primary key,
      customer_id int not null references public.customers(id) on delete cascade,
      total numeric(10,2), note text);
    create index orders_customer_idx on sales.orders (customer_id);
    create index orders_note_lower on sales.orders (lower(note));
    create table sales.order_lines (order_id bigint, line int, sku text, primary key (order_id, line),
      constraint lines_order_fk foreign key (order_id) references sales.orders(id) on update restrict);
    create view sales.big_orders as select * from sales.orders where total > 100;
    insert into public.customers (email) select 'c' || g || '@example.com' from generate_series(1, 40) g;
    analyze;`);
  await client.end();
});
afterAll(() => engine.close());

it('reads schemas, tables with estimated rows, columns, keys and indexes in one pass', async () => {
  const snapshot = await engine.introspect(poolKey, spec);
  expect(snapshot.schemas).toEqual(['public', 'sales']);
  expect(snapshot.truncated).toBe(false);
  expect(snapshot.tables.map((t) => `${t.schema}.${t.name}:${t.kind}`)).toEqual([
    'public.customers:TABLE', 'sales.big_orders:VIEW', 'sales.order_lines:TABLE', 'sales.orders:TABLE',
  ]);
  const [customers, view, lines, orders] = snapshot.tables;
  expect(customers).toMatchObject({ estimatedRows: 40, comment: 'people who buy', primaryKey: ['id'] });
  expect(customers!.columns).toEqual([
    { name: 'id', type: 'integer', nullable: false, default: "nextval('customers_id_seq'::regclass)", primaryKey: true },
    { name: 'email', type: 'character varying(200)', nullable: false, default: null, primaryKey: false },
    { name: 'region', type: 'text', nullable: true, default: "'eu'::text", primaryKey: false },
  ]);
  expect(customers!.indexes).toEqual([
    { name: 'customers_email_key', columns: ['email'], unique: true, primary: false },
    { name: 'customers_pkey', columns: ['id'], unique: true, primary: true },
  ]);
  expect(view).toMatchObject({ estimatedRows: null, primaryKey: [], indexes: [], foreignKeys: [] });
  expect(view!.columns.map((c) => c.name)).toEqual(['id', 'customer_id', 'total', 'note']);
  expect(orders!.columns[0]).toEqual({ name: 'id', type: 'bigint', nullable: false, default: 'GENERATED ALWAYS AS IDENTITY', primaryKey: true });
  expect(orders!.columns[2]).toMatchObject({ name: 'total', type: 'numeric(10,2)', nullable: true });
  expect(orders!.estimatedRows).toBe(0);
  expect(orders!.foreignKeys).toEqual([
    { name: 'orders_customer_id_fkey', columns: ['customer_id'], referencedSchema: 'public', referencedTable: 'customers', referencedColumns: ['id'], onUpdate: 'NO ACTION', onDelete: 'CASCADE' },
  ]);
  expect(orders!.indexes).toEqual([
    { name: 'orders_customer_idx', columns: ['customer_id'], unique: false, primary: false },
    { name: 'orders_note_lower', columns: ['lower(note)'], unique: false, primary: false },
    { name: 'orders_pkey', columns: ['id'], unique: true, primary: true },
  ]);
  expect(lines).toMatchObject({
    primaryKey: ['order_id', 'line'],
    foreignKeys: [{ name: 'lines_order_fk', columns: ['order_id'], referencedSchema: 'sales', referencedTable: 'orders', referencedColumns: ['id'], onUpdate: 'RESTRICT', onDelete: 'NO ACTION' }],
  });
  expect(lines!.columns.filter((c) => c.primaryKey).map((c) => c.name)).toEqual(['order_id', 'line']);
});

it('uses the datasource pool and gives the connection back clean', async () => {
  await engine.introspect(poolKey, spec);
  expect(engine.poolStats(poolKey)).toEqual({ total: 1, idle: 1, waiting: 0 });
  // The same connection runs an ordinary request afterwards: nothing of the introspection's transaction remains.
  const result = await engine.execute(poolKey, spec, { statements: [{ sql: "select current_setting('statement_timeout'), current_setting('transaction_read_only')", params: [] }], readOnly: false, maxRows: 1 });
  expect(result.rows).toEqual([['5s', 'off']]);
  // The request's clean-up (ROLLBACK and the session reset) finishes after its result is handed back.
  await waitUntil(() => engine.poolStats(poolKey)?.idle === 1, 5_000, 'the connection to be back in the pool');
  expect(engine.poolStats(poolKey)).toEqual({ total: 1, idle: 1, waiting: 0 });
  expect(engine.poolStats('never-used')).toBeNull();
});

it('reports an unreachable server as a CONNECTION EngineError', async () => {
  const error = await engine.introspect(`ds-${randomBytes(6).toString('hex')}`, { ...spec, port: 1, connectTimeoutMs: 1_000 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EngineError);
  expect((error as EngineError).kind).toBe('CONNECTION');
});

it('counts busy connections and waiting requests', async () => {
  const key = `ds-${randomBytes(6).toString('hex')}`;
  const single = { ...spec, poolSize: 1 };
  const sleep = { statements: [{ sql: 'select pg_sleep(1)', params: [] }], readOnly: true, maxRows: 1 };
  const first = engine.execute(key, single, sleep);
  const second = engine.execute(key, single, sleep);
  await waitUntil(() => engine.poolStats(key)?.waiting === 1, 5_000, 'the second request to wait for the only connection');
  expect(engine.poolStats(key)).toEqual({ total: 1, idle: 0, waiting: 1 });
  await Promise.all([first, second]);
  await waitUntil(() => engine.poolStats(key)?.idle === 1, 5_000, 'the connection to be back in the pool');
  expect(engine.poolStats(key)).toEqual({ total: 1, idle: 1, waiting: 0 });
});

it("stops at the datasource's statement timeout", async () => {
  const url = new URL(await createPostgresDatabase(inject('postgresUrl')));
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  // Enough relations that reading the catalog takes far longer than 1 ms.
  await client.query(`do $$ begin for i in 1..150 loop execute format('create table t%s (id int primary key, v text)', i); end loop; end $$`);
  await client.end();
  const slow = { ...spec, database: url.pathname.slice(1), statementTimeoutMs: 1 };
  const key = `ds-${randomBytes(6).toString('hex')}`;
  const error = await engine.introspect(key, slow).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EngineError);
  expect((error as EngineError)).toMatchObject({ kind: 'TIMEOUT', code: '57014' });
  // The connection whose transaction failed was closed, not pooled.
  expect(engine.poolStats(key)).toEqual({ total: 0, idle: 0, waiting: 0 });
  const tables = await engine.introspect(key, { ...slow, statementTimeoutMs: 30_000 });
  expect(tables.tables).toHaveLength(150);
});

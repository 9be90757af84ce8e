/** MySQL-protocol catalog introspection against the real MariaDB of the test run. */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { EngineError, type ConnectionSpec } from '../engine.ts';
import { waitUntil } from '../../../test/servers.ts';
import { MysqlEngine } from './mysql-engine.ts';

const engine = new MysqlEngine('MARIADB');
const database = `shop_${randomBytes(4).toString('hex')}`;
const poolKey = `ds-${randomBytes(6).toString('hex')}`;
let spec: ConnectionSpec;
let admin: mysql.Connection;

beforeAll(async () => {
  const server = new URL(inject('mariadbUrl'));
  const user = decodeURIComponent(server.username);
  const password = decodeURIComponent(server.password);
  spec = { host: server.hostname, port: Number(server.port), database, username: user, password, sslMode: 'DISABLE', sslRootCertificate: null, poolSize: 2, statementTimeoutMs: 5_000 };
  admin = await mysql.createConnection({ host: server.hostname, port: Number(server.port), user, password, multipleStatements: true });
  await admin.query(`create database ${database}; use ${database};
    create table customers (id int auto_increment primary key, email varchar(200) not null, region varchar(10) default 'eu', unique key customers_email (email)) comment 'people who buy';
    create table orders (id bigint primary key, customer_id int not null, total decimal(10,2), note text,
      key orders_customer_idx (customer_id),
      constraint orders_customer_fk foreign key (customer_id) references customers(id) on delete cascade);
    create table order_lines (order_id bigint, line int, sku varchar(20), primary key (order_id, line),
      constraint lines_order_fk foreign key (order_id) references orders(id) on update restrict);
    create view big_orders as select * from orders where total > 100;
    insert into customers (email) values ('a@example.com'), ('b@example.com'), ('c@example.com');
    analyze table customers;`);
});
afterAll(async () => {
  await engine.close();
  await admin.query(`drop database ${database}`);
  await admin.end();
});

it("reads the datasource's database: tables with estimated rows, columns, keys and indexes", async () => {
  const snapshot = await engine.introspect(poolKey, spec);
  expect(snapshot.schemas).toEqual([database]);
  expect(snapshot.truncated).toBe(false);
  expect(snapshot.tables.map((t) => `${t.name}:${t.kind}`)).toEqual(['big_orders:VIEW', 'customers:TABLE', 'order_lines:TABLE', 'orders:TABLE']);
  const [view, customers, lines, orders] = snapshot.tables;
  expect(customers).toMatchObject({ schema: database, estimatedRows: 3, comment: 'people who buy', primaryKey: ['id'] });
  expect(customers!.columns).toEqual([
    { name: 'id', type: 'int(11)', nullable: false, default: null, primaryKey: true },
    { name: 'email', type: 'varchar(200)', nullable: false, default: null, primaryKey: false },
    { name: 'region', type: 'varchar(10)', nullable: true, default: "'eu'", primaryKey: false },
  ]);
  expect(customers!.indexes).toEqual([
    { name: 'customers_email', columns: ['email'], unique: true, primary: false },
    { name: 'PRIMARY', columns: ['id'], unique: true, primary: true },
  ]);
  expect(view).toMatchObject({ estimatedRows: null, comment: null, primaryKey: [], indexes: [] });
  expect(orders!.foreignKeys).toEqual([
    { name: 'orders_customer_fk', columns: ['customer_id'], referencedSchema: database, referencedTable: 'customers', referencedColumns: ['id'], onUpdate: 'RESTRICT', onDelete: 'CASCADE' },
  ]);
  expect(orders!.indexes.map((i) => i.name)).toEqual(['orders_customer_idx', 'PRIMARY']);
  expect(lines).toMatchObject({
    primaryKey: ['order_id', 'line'],
    foreignKeys: [{ name: 'lines_order_fk', columns: ['order_id'], referencedTable: 'orders', referencedColumns: ['id'], onUpdate: 'RESTRICT' }],
  });
});

it('uses the datasource pool and gives the connection back reset', async () => {
  await engine.introspect(poolKey, spec);
  expect(engine.poolStats(poolKey)).toEqual({ total: 1, idle: 1, waiting: 0 });
  const result = await engine.execute(poolKey, spec, { statements: [{ sql: 'select @@session.tx_read_only, @@session.max_statement_time', params: [] }], readOnly: false, maxRows: 1 });
  // The request's own settings (5 s timeout), not read-only: the introspection's session settings were reset.
  expect(result.rows).toEqual([['0', 5]]);
  // The request's reset finishes after its result is handed back.
  await waitUntil(() => engine.poolStats(poolKey)?.idle === 1, 5_000, 'the connection to be back in the pool');
  expect(engine.poolStats(poolKey)).toEqual({ total: 1, idle: 1, waiting: 0 });
  expect(engine.poolStats('never-used')).toBeNull();
});

it("counts busy connections and waiting requests (mysql2's private pool queues)", async () => {
  const key = `ds-${randomBytes(6).toString('hex')}`;
  const single = { ...spec, poolSize: 1 };
  const sleep = { statements: [{ sql: 'select sleep(1)', params: [] }], readOnly: true, maxRows: 1 };
  const first = engine.execute(key, single, sleep);
  const second = engine.execute(key, single, sleep);
  await waitUntil(() => engine.poolStats(key)?.waiting === 1, 5_000, 'the second request to wait for the only connection');
  expect(engine.poolStats(key)).toEqual({ total: 1, idle: 0, waiting: 1 });
  await Promise.all([first, second]);
  await waitUntil(() => engine.poolStats(key)?.idle === 1, 5_000, 'the connection to be back in the pool');
  expect(engine.poolStats(key)).toEqual({ total: 1, idle: 1, waiting: 0 });
});

it("stops at the datasource's statement timeout", async () => {
  const slowDb = `${database}_many`;
  await admin.query(`create database ${slowDb}`);
  try {
    for (let i = 0; i < 2; i++) {
      await admin.query(Array.from({ length: 50 }, (_, j) => `create table ${slowDb}.t${i * 50 + j} (id int primary key, v text, key v (v(10)))`).join(';'));
    }
    const slow = { ...spec, database: slowDb, statementTimeoutMs: 1 };
    const key = `ds-${randomBytes(6).toString('hex')}`;
    const error = await engine.introspect(key, slow).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).kind).toBe('TIMEOUT');
    expect(engine.poolStats(key)).toEqual({ total: 0, idle: 0, waiting: 0 });
    expect((await engine.introspect(key, { ...slow, statementTimeoutMs: 30_000 })).tables).toHaveLength(100);
  } finally {
    await admin.query(`drop database ${slowDb}`);
  }
});

/**
 * The ssl modes of a MariaDB datasource against the harness's server, which accepts plain and TLS connections and
 * presents a self-signed certificate for 127.0.0.1 that no trusted authority signed.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, expect, inject, it } from 'vitest';
import { EngineError, type ConnectionSpec } from '../engine.ts';
import { MysqlEngine } from './mysql-engine.ts';

const engine = new MysqlEngine('MARIADB');
afterAll(() => engine.close());

function spec(sslMode: ConnectionSpec['sslMode']): ConnectionSpec {
  const url = new URL(inject('mariadbUrl'));
  return {
    host: url.hostname,
    port: Number(url.port),
    database: 'mysql',
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    sslMode,
    poolSize: 1,
    statementTimeoutMs: 5_000,
    connectTimeoutMs: 5_000,
  };
}

/** The TLS version of the connection the statement ran on ('' without TLS). */
async function connectionTls(sslMode: ConnectionSpec['sslMode']): Promise<string> {
  const result = await engine.execute(`tls-${sslMode}-${randomBytes(4).toString('hex')}`, spec(sslMode), {
    statements: [{ sql: "select variable_value from information_schema.session_status where variable_name = 'Ssl_version'", params: [] }],
    readOnly: true,
    maxRows: 1,
  });
  return String(result.rows[0]?.[0] ?? '');
}

it('DISABLE connects without TLS', async () => {
  expect(await connectionTls('DISABLE')).toBe('');
});

it('REQUIRE encrypts the connection and accepts any certificate', async () => {
  expect(await connectionTls('REQUIRE')).toMatch(/^TLSv1\.[23]$/);
});

it.each(['VERIFY_CA', 'VERIFY_FULL'] as const)('%s refuses a certificate no trusted authority signed, as a connection error', async (mode) => {
  const error = await connectionTls(mode).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EngineError);
  expect(error).toMatchObject({ kind: 'CONNECTION' });
  expect((error as EngineError).message).toMatch(/self[- ]signed certificate/i);
});

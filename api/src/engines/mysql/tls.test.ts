/**
 * The ssl modes of a MariaDB datasource against the harness's server, which accepts plain and TLS connections and
 * presents a self-signed certificate for 127.0.0.1 that no trusted authority signed — trusted only when a datasource
 * names it as its root certificate.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { EngineError, type ConnectionSpec } from '../engine.ts';
import { MysqlEngine } from './mysql-engine.ts';

const engine = new MysqlEngine('MARIADB');
afterAll(() => engine.close());

function spec(sslMode: ConnectionSpec['sslMode'], trust: Partial<ConnectionSpec> = {}): ConnectionSpec {
  const url = new URL(inject('mariadbUrl'));
  return {
    host: url.hostname,
    port: Number(url.port),
    database: 'mysql',
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    sslMode,
    sslRootCertificate: null,
    poolSize: 1,
    statementTimeoutMs: 5_000,
    connectTimeoutMs: 5_000,
    ...trust,
  };
}

/** The TLS version of the connection the statement ran on ('' without TLS). */
async function connectionTls(sslMode: ConnectionSpec['sslMode'], trust: Partial<ConnectionSpec> = {}): Promise<string> {
  const result = await engine.execute(`tls-${sslMode}-${randomBytes(4).toString('hex')}`, spec(sslMode, trust), {
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

describe('with the server certificate as the datasource root certificate', () => {
  const own = () => ({ sslRootCertificate: inject('mariadbCertificate') });

  it.each(['VERIFY_CA', 'VERIFY_FULL'] as const)('%s connects, encrypted', async (mode) => {
    expect(await connectionTls(mode, own())).toMatch(/^TLSv1\.[23]$/);
  });

  it('VERIFY_CA does not check the host name; VERIFY_FULL refuses a name the certificate is not for', async () => {
    expect(await connectionTls('VERIFY_CA', { ...own(), host: 'localhost' })).toMatch(/^TLSv1\.[23]$/);
    const error = await connectionTls('VERIFY_FULL', { ...own(), host: 'localhost' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ kind: 'CONNECTION' });
    expect((error as EngineError).message).toMatch(/localhost/);
  });

  it.each(['VERIFY_CA', 'VERIFY_FULL'] as const)('%s refuses the server when another authority is named', async (mode) => {
    const error = await connectionTls(mode, { sslRootCertificate: inject('postgresCertificate') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ kind: 'CONNECTION' });
  });
});

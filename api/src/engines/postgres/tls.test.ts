/**
 * The ssl modes of a PostgreSQL datasource against the harness's server, which accepts plain and TLS connections
 * and presents a self-signed certificate for 127.0.0.1 that no trusted authority signed — trusted only when a
 * datasource names it as its root certificate.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { EngineError, type ConnectionSpec } from '../engine.ts';
import { PostgresEngine } from './postgres-engine.ts';

const engine = new PostgresEngine();
afterAll(() => engine.close());

function spec(sslMode: ConnectionSpec['sslMode'], trust: Partial<ConnectionSpec> = {}): ConnectionSpec {
  const url = new URL(inject('postgresUrl'));
  return { host: url.hostname, port: Number(url.port), database: 'postgres', username: 'postgres', password: '', sslMode, sslRootCertificate: null, poolSize: 1, statementTimeoutMs: 5_000, connectTimeoutMs: 5_000, ...trust };
}

/** What the server says about the connection the statement ran on. */
function connectionTls(sslMode: ConnectionSpec['sslMode'], trust: Partial<ConnectionSpec> = {}) {
  return engine.execute(`tls-${sslMode}-${randomBytes(4).toString('hex')}`, spec(sslMode, trust), {
    statements: [{ sql: 'select ssl, version from pg_stat_ssl where pid = pg_backend_pid()', params: [] }],
    readOnly: true,
    maxRows: 1,
  });
}

it('DISABLE connects without TLS', async () => {
  expect((await connectionTls('DISABLE')).rows).toEqual([[false, null]]);
});

it('REQUIRE encrypts the connection and accepts any certificate', async () => {
  const [row] = (await connectionTls('REQUIRE')).rows;
  expect(row![0]).toBe(true);
  expect(String(row![1])).toMatch(/^TLSv1\.[23]$/);
});

it.each(['VERIFY_CA', 'VERIFY_FULL'] as const)('%s refuses a certificate no trusted authority signed, as a connection error', async (mode) => {
  const error = await connectionTls(mode).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EngineError);
  expect(error).toMatchObject({ kind: 'CONNECTION', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  expect((error as EngineError).message).toMatch(/self[- ]signed certificate/i);
});

describe('with the server certificate as the datasource root certificate', () => {
  const own = () => ({ sslRootCertificate: inject('postgresCertificate') });

  it.each(['VERIFY_CA', 'VERIFY_FULL'] as const)('%s connects, encrypted', async (mode) => {
    const [row] = (await connectionTls(mode, own())).rows;
    expect(row![0]).toBe(true);
  });

  it('VERIFY_CA does not check the host name; VERIFY_FULL refuses a name the certificate is not for', async () => {
    const [row] = (await connectionTls('VERIFY_CA', { ...own(), host: 'localhost' })).rows;
    expect(row![0]).toBe(true);
    const error = await connectionTls('VERIFY_FULL', { ...own(), host: 'localhost' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'CONNECTION', code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it.each(['VERIFY_CA', 'VERIFY_FULL'] as const)('%s refuses the server when another authority is named', async (mode) => {
    const error = await connectionTls(mode, { sslRootCertificate: inject('mariadbCertificate') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ kind: 'CONNECTION' });
  });
});

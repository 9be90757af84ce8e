/**
 * A datasource's trusted authorities (sslRootCertificate): verified against the server before anything is saved,
 * refused with a typed error at the field when it is not PEM certificates, and returned (it is not a secret).
 */
import { inject, afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, rowCounts, setupFirstOrg, type Org, type TestApp } from '../../../test/harness.ts';
import { workflow } from '../requests/requests.fixture.ts';

let t: TestApp;
let org: Org;
let { mutate } = {} as ReturnType<typeof workflow>;

const UPSERT = `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename
  ... on MutationUpsertDatasourceSuccess { data { id sslMode sslRootCertificate } }
  ... on ValidationError { message issues { path message } } ... on Error { code message } } }`;

beforeAll(async () => {
  t = await createTestApp();
  ({ mutate } = workflow(t, () => ''));
  org = await setupFirstOrg(t);
});
afterAll(() => t.close());

function datasource(name: string, fields: Record<string, unknown>) {
  const url = new URL(inject('postgresUrl'));
  return { input: { name, dbType: 'POSTGRESQL', host: url.hostname, port: Number(url.port), databaseName: 'postgres', username: 'postgres', password: 'unused-with-trust', ...fields } };
}

it('saves a VERIFY_FULL datasource whose private authority signed the server certificate, after connecting with it', async () => {
  const pem = inject('postgresCertificate');
  const saved = await mutate<{ id: string; sslMode: string; sslRootCertificate: string }>('upsertDatasource', UPSERT, datasource('private-ca', { sslMode: 'VERIFY_FULL', sslRootCertificate: pem }), org.admin);
  expect(saved).toMatchObject({ __typename: 'MutationUpsertDatasourceSuccess', data: { sslMode: 'VERIFY_FULL', sslRootCertificate: pem } });
  const tested = await mutate<{ ok: boolean }>('testDatasourceConnection',
    'mutation($id: ID!) { testDatasourceConnection(id: $id) { __typename ... on MutationTestDatasourceConnectionSuccess { data { ok error } } } }',
    { id: saved.data!.id }, org.admin);
  expect(tested.data).toEqual({ ok: true, error: null });
});

it('saves nothing when the named authority did not sign the server certificate', async () => {
  const before = await rowCounts(t.databaseUrl!);
  const refused = await mutate('upsertDatasource', UPSERT, datasource('wrong-ca', { sslMode: 'VERIFY_CA', sslRootCertificate: inject('mariadbCertificate') }), org.admin);
  expect(refused).toMatchObject({ __typename: 'ConnectionFailed' });
  expect((await rowCounts(t.databaseUrl!))['datasources']).toBe(before['datasources']);
});

it.each([
  ['text that is no certificate', 'not a certificate', /PEM certificates/],
  ['a damaged certificate', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', /certificate 1 is not a readable X\.509 certificate/],
  ['a private key next to the certificate', () => `${inject('postgresCertificate')}\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n`, /PEM certificates only/],
  ['more than 64 KiB', () => inject('postgresCertificate').repeat(60), /at most 65536 characters/],
] as const)('refuses %s at the field, and saves nothing', async (_what, value, message) => {
  const before = await rowCounts(t.databaseUrl!);
  const pem = typeof value === 'function' ? value() : value;
  const refused = await mutate<unknown>('upsertDatasource', UPSERT, datasource('bad-ca', { sslMode: 'VERIFY_CA', sslRootCertificate: pem }), org.admin);
  expect(refused).toMatchObject({ __typename: 'ValidationError', issues: [{ path: 'sslRootCertificate' }] });
  expect((refused as unknown as { issues: { message: string }[] }).issues[0]!.message).toMatch(message);
  expect((await rowCounts(t.databaseUrl!))['datasources']).toBe(before['datasources']);
});

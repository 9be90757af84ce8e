/**
 * Read-replica routing (FEATURES B3) with two real PostgreSQL servers: proven reads run on the replica, writes on
 * the primary, and a replica that cannot be reached sends reads to the primary with an audit row.
 */
import { randomBytes } from 'node:crypto';
import { inject, afterAll, beforeAll, expect, it } from 'vitest';
import { createPostgresDatabase, startTestServers, type TestServers } from '../../../test/servers.ts';
import { createTestApp, createUserWithKey, ok, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { postgresDatasource, workflow } from './requests.fixture.ts';

let t: TestApp;
let org: Org;
let replicaServers: TestServers;
let primaryUrl: string;
let datasourceId: string;
let analyst: Caller & { id: string };
let reviewer: Caller & { id: string };
let { submit, decide, execute, createDatasource } = {} as ReturnType<typeof workflow>;

const SETUP = 'create table notes (id int primary key, body text)';

beforeAll(async () => {
  t = await createTestApp();
  ({ submit, decide, execute, createDatasource } = workflow(t, () => datasourceId));
  org = await setupFirstOrg(t);
  // The same database name on two servers: the primary, and a second server standing in for its replica.
  const name = `replicated_${randomBytes(4).toString('hex')}`;
  primaryUrl = await createPostgresDatabase(inject('postgresUrl'), name);
  replicaServers = await startTestServers();
  const replicaUrl = await createPostgresDatabase(replicaServers.postgresUrl, name);
  await superuserQuery(primaryUrl, `${SETUP}; insert into notes values (1, 'on the primary')`);
  await superuserQuery(replicaUrl, `${SETUP}; insert into notes values (1, 'on the replica')`);
  const replica = new URL(replicaUrl);
  datasourceId = await createDatasource(postgresDatasource(primaryUrl, { name: 'notes', replicaHost: replica.hostname, replicaPort: Number(replica.port) }), org.admin);
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  reviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer@acme.test');
  await t.gql('mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }',
    { input: { datasourceId, userId: analyst.id, canRead: true, canWrite: true } }, org.admin);
});
afterAll(async () => {
  await t.close();
  await replicaServers.stop();
});

async function executedOn(id: string): Promise<string | null> {
  return ok(await t.gql<{ queryRequest: { executedOn: string | null } }>('query($id: ID!) { queryRequest(id: $id) { executedOn } }', { id }, analyst)).queryRequest.executedOn;
}

it('runs reads on the replica and writes on the primary', async () => {
  const read = (await submit('select body from notes where id = 1', analyst, { execute: true })).data!;
  expect(read.result!.rows).toEqual([['on the replica']]);
  expect(await executedOn(read.id)).toBe('REPLICA');

  const write = (await submit("update notes set body = 'written' where id = 1", analyst)).data!;
  await decide(write.id, 'APPROVE', reviewer);
  expect((await execute(write.id, analyst)).data).toMatchObject({ status: 'EXECUTED', rowsAffected: 1 });
  expect(await executedOn(write.id)).toBe('PRIMARY');
  expect(await superuserQuery(primaryUrl, 'select body from notes')).toEqual([{ body: 'written' }]);
});

it('falls back to the primary when the replica cannot be reached, and audits it', async () => {
  await replicaServers.stop();
  const read = (await submit('select body from notes where id = 1', analyst, { execute: true })).data!;
  expect(read).toMatchObject({ status: 'EXECUTED' });
  expect(read.result!.rows).toEqual([['written']]);
  expect(await executedOn(read.id)).toBe('PRIMARY');
  const [fallback] = await superuserQuery<{ metadata: { error: string } }>(t.databaseUrl!,
    "select metadata from audit_events where target_id = $1 and action = 'QUERY_REPLICA_FALLBACK'", [read.id]);
  expect(fallback!.metadata.error).toMatch(/ECONNREFUSED|connect|terminat/i);
});

/**
 * A real AccessFlow server on a loopback port (the API's own harness: real PostgreSQL store), set up through
 * the public API the way an operator would: an admin, a `deployer` service identity with an API key and a
 * grant, a `reviewer`, a target PostgreSQL database with a `customers` table, and the datasource `crm` on the
 * Standard-like plan (low- and medium-risk reads run at once, everything else waits for one reviewer).
 * `restart()` stops the server and starts it again on the same port and store, as a deploy would.
 */
import { rm } from 'node:fs/promises';
import { inject } from 'vitest';
import { buildApp, type App } from '../../api/src/app.ts';
import { createLogger } from '../../api/src/logger.ts';
import { createApiKey, createTestApp, createUserWithKey, ok, setupFirstOrg, success, superuserQuery, type TestApp } from '../../api/test/harness.ts';
import { createPostgresDatabase, freePort } from '../../api/test/servers.ts';

export interface World {
  endpoint: string;
  /** Raw API keys (`af_…`). */
  keys: { admin: string; deployer: string; reviewer: string };
  deployerId: string;
  datasource: { id: string; name: string };
  planId: string;
  targetUrl: string;
  /** Superuser URL of the server's own store. */
  storeUrl: string;
  /** GraphQL over HTTP to the running server, as `key`. */
  gql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, key: string): Promise<T>;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function createWorld(): Promise<World> {
  const port = await freePort();
  const t: TestApp = await createTestApp({ env: { PORT: String(port) } });
  let app: App = t.app;
  let running = true;
  const endpoint = await app.start();
  const org = await setupFirstOrg(t);
  const admin = org.admin;

  const targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, `create table customers (id int primary key, name text, email text);
    insert into customers values (1, 'Ann', 'ann@example.com'), (2, 'Bob', 'bob@example.com'), (3, 'Cy', 'cy@example.com')`);
  const target = new URL(targetUrl);

  const plan = ok(
    await t.gql<{ upsertReviewPlan: { __typename: string; data?: { id: string } } }>(
      `mutation { upsertReviewPlan(input: { name: "standard", autoApproveReads: true, autoApproveMaxRiskLevel: MEDIUM, minApprovalsRequired: 1 }) {
        __typename ... on MutationUpsertReviewPlanSuccess { data { id } } ... on Error { code message } } }`,
      {},
      admin,
    ),
  );
  const planId = success(plan.upsertReviewPlan).id;
  const datasource = ok(
    await t.gql<{ upsertDatasource: { __typename: string; data?: { id: string; name: string } } }>(
      `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) {
        __typename ... on MutationUpsertDatasourceSuccess { data { id name } } ... on Error { code message } } }`,
      { input: { name: 'crm', dbType: 'POSTGRESQL', host: target.hostname, port: Number(target.port), databaseName: target.pathname.slice(1), username: 'postgres', password: 'unused-with-trust', reviewPlanId: planId } },
      admin,
    ),
  );
  const ds = success(datasource.upsertDatasource);
  const deployer = await createUserWithKey(t, admin, 'ANALYST', 'deployer@acme.test');
  const reviewer = await createUserWithKey(t, admin, 'REVIEWER', 'reviewer@acme.test');
  const grant = ok(
    await t.gql<{ upsertGrant: { __typename: string } }>(
      `mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename ... on Error { message } } }`,
      { input: { datasourceId: ds.id, userId: deployer.id, canRead: true, canWrite: true, allowedTables: ['customers'] } },
      admin,
    ),
  );
  if (grant.upsertGrant.__typename !== 'MutationUpsertGrantSuccess') throw new Error(`grant failed: ${JSON.stringify(grant)}`);
  const adminKey = await createApiKey(t, admin);

  const gql = async <T>(query: string, variables: Record<string, unknown>, key: string): Promise<T> => {
    const response = await fetch(`${endpoint}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown };
    if (body.errors || !body.data) throw new Error(`GraphQL call failed: ${JSON.stringify(body)}`);
    return body.data;
  };

  return {
    endpoint,
    keys: { admin: adminKey.secret, deployer: deployer.authorization.slice('Bearer '.length), reviewer: reviewer.authorization.slice('Bearer '.length) },
    deployerId: deployer.id,
    datasource: ds,
    planId,
    targetUrl,
    storeUrl: t.databaseUrl!,
    gql,
    async stop() {
      await app.stop();
      running = false;
    },
    async start() {
      app = await buildApp(t.config, createLogger('silent'));
      const url = await app.start();
      running = true;
      if (url !== endpoint) throw new Error(`restarted on ${url}, not ${endpoint}`);
    },
    async close() {
      if (running) await app.stop();
      await rm(t.config.dataDir, { recursive: true, force: true });
    },
  };
}

const REQUEST_FIELDS = 'id status query clientRequestId cicdOrigin rowsAffected';

export interface SeenRequest {
  id: string;
  status: string;
  query: string;
  clientRequestId: string | null;
  cicdOrigin: boolean;
  rowsAffected: number | null;
}

/** Every request of the organization (newest first), read by the admin. */
export async function requests(world: World): Promise<SeenRequest[]> {
  const data = await world.gql<{ queryRequests: { edges: { node: SeenRequest }[] } }>(`{ queryRequests(first: 100) { edges { node { ${REQUEST_FIELDS} } } } }`, {}, world.keys.admin);
  return data.queryRequests.edges.map((e) => e.node);
}

/** Waits until the reviewer sees a request for `query` in their queue; returns its id. */
export async function awaitInQueue(world: World, query: string, timeoutMs = 20_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const data = await world.gql<{ reviewQueue: { edges: { node: { id: string; query: string } }[] } }>(`{ reviewQueue(first: 50) { edges { node { id query } } } }`, {}, world.keys.reviewer);
    const found = data.reviewQueue.edges.find((e) => e.node.query === query);
    if (found) return found.node.id;
    if (Date.now() > until) throw new Error(`no request for ${query} reached the review queue`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function decide(world: World, requestId: string, decision: 'APPROVE' | 'REJECT', comment?: string): Promise<string> {
  const data = await world.gql<{ decideQueryRequest: { __typename: string; data?: { status: string }; message?: string } }>(
    `mutation($input: DecideQueryRequestInput!) { decideQueryRequest(input: $input) { __typename ... on MutationDecideQueryRequestSuccess { data { status } } ... on Error { message } } }`,
    { input: { requestId, decision, comment } },
    world.keys.reviewer,
  );
  if (!data.decideQueryRequest.data) throw new Error(`decision failed: ${data.decideQueryRequest.message}`);
  return data.decideQueryRequest.data.status;
}

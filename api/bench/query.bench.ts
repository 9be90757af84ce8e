/**
 * P1, an auto-approved governed read end to end: one `submitQuery(input: { …, execute: true })` over real HTTP on
 * loopback — authenticate the API key, classify, role and grants, risk, review plan (auto-approve), store the
 * request, audit, run on the target through the engine, mask, store the result, audit — returning the masked row.
 *
 * Two baselines in the same run, with the same SELECT (one 3-column row by primary key, the id varying per call):
 *  - direct `pg`: a `pg.Pool` on the target database, `pool.query(sql)` — what a user would do without us;
 *  - bare yoga: a `createYoga` server with one resolver running the same query through the same kind of pool,
 *    on a `node:http` server on loopback, called with the same `fetch` — the real floor of "GraphQL over HTTP
 *    in front of PostgreSQL" (design §10).
 * Everything runs on real PostgreSQL 15 (`startTestServers()`): the store is one fresh database, the target
 * another. Calls are sequential; the three are measured in interleaved chunks so drift hits them alike.
 * Goals: p50 ≤ 1.5× direct pg (issue), ≤ 1.25× bare yoga (design floor).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSchema, createYoga } from 'graphql-yoga';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { engineFor } from '../src/engines/engine.ts';
import { createLogger } from '../src/logger.ts';
import { createPostgresDatabase, startTestServers } from '../test/servers.ts';
import { compare, formatNumber, note, repeat, summarise, type Benchmark, type BenchResult, type Timing } from './runner.ts';

const WARMUP = 100;
const ITERATIONS = 1_000;
/** Calls per target before switching to the next one; ITERATIONS must be a multiple. */
const CHUNK = 100;
const TABLE_ROWS = 1_000;
const POOL_SIZE = 4;
/** With BENCH_CPU_PROFILE=<file>: our calls profiled after the measurement. */
const PROFILED_CALLS = 500;
const P50_GOAL_VS_PG = 1.5;
const P50_GOAL_VS_YOGA = 1.25;
const PG_LABEL = 'direct pg Pool.query on the target';
const YOGA_LABEL = 'bare graphql-yoga + node:http, one resolver doing the same pg query';

const sqlFor = (i: number) => `select id, name, email from customers where id = ${(i % TABLE_ROWS) + 1}`;

interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string }[];
}

type Call = (i: number) => Promise<void>;

export const query: Benchmark = {
  name: 'query',
  async run() {
    note('query: starting PostgreSQL 15 (with MariaDB and Redis, unused) for the store and the target');
    const servers = await startTestServers();
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const storeUrl = await createPostgresDatabase(servers.postgresUrl);
      const targetUrl = await createPostgresDatabase(servers.postgresUrl);
      await seedTarget(targetUrl);

      const dataDir = await mkdtemp(join(tmpdir(), 'accessflow-bench-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      const setupToken = randomBytes(18).toString('base64url');
      const app = await buildApp(
        loadConfig({
          ACCESSFLOW_DATA_DIR: dataDir,
          PORT: '0',
          HOST: '127.0.0.1',
          ACCESSFLOW_SETUP_TOKEN: setupToken,
          JWT_SIGNING_KEY: randomBytes(32).toString('hex'),
          AUDIT_HMAC_KEY: randomBytes(32).toString('hex'),
          ENCRYPTION_KEY: randomBytes(32).toString('hex'),
          LOG_LEVEL: 'silent',
          DATABASE_URL: storeUrl,
        }),
        createLogger('silent'),
      );
      cleanups.push(() => app.stop(), () => engineFor('POSTGRESQL').close());
      const ourUrl = `${await app.start()}/graphql`;
      const { datasourceId, authorization } = await setUpGovernedRead(ourUrl, setupToken, targetUrl);

      const pool = new pg.Pool({ connectionString: targetUrl, max: POOL_SIZE });
      pool.on('error', () => undefined);
      cleanups.push(() => pool.end());
      const yogaPool = new pg.Pool({ connectionString: targetUrl, max: POOL_SIZE });
      yogaPool.on('error', () => undefined);
      cleanups.push(() => yogaPool.end());
      const yoga = await startBareYoga(yogaPool);
      cleanups.push(() => yoga.close());

      const targets: Record<'ours' | 'pg' | 'yoga', Call> = {
        ours: oursCall(ourUrl, authorization, datasourceId),
        pg: async (i) => {
          const result = await pool.query<{ id: number; name: string; email: string }>(sqlFor(i));
          if (result.rows.length !== 1) throw new Error(`direct pg: expected one row, got ${result.rows.length}`);
        },
        yoga: yogaCall(yoga.url),
      };
      note(`query: ${WARMUP} warm-up calls each, then ${ITERATIONS} sequential calls each, in interleaved chunks of ${CHUNK}`);
      for (const call of Object.values(targets)) await repeat(call, WARMUP);
      const durations = { ours: [] as number[], pg: [] as number[], yoga: [] as number[] };
      for (let start = WARMUP; start < WARMUP + ITERATIONS; start += CHUNK) {
        for (const [name, call] of Object.entries(targets) as ['ours' | 'pg' | 'yoga', Call][]) {
          for (let i = start; i < start + CHUNK; i++) {
            const t0 = process.hrtime.bigint();
            await call(i);
            durations[name].push(Number(process.hrtime.bigint() - t0) / 1_000);
          }
        }
      }
      if (process.env.BENCH_CPU_PROFILE) await profileOurs(targets.ours, process.env.BENCH_CPU_PROFILE);
      return results(summarise(durations.ours), summarise(durations.pg), summarise(durations.yoga));
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => note(`query: cleanup failed: ${String(error)}`));
      await servers.stop();
    }
  },
};

/** After the measurement, so it cannot skew it: a CPU profile of our calls alone, for finding where the time goes. */
async function profileOurs(call: Call, path: string): Promise<void> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    await repeat(call, PROFILED_CALLS);
    const { profile } = await session.post('Profiler.stop');
    await writeFile(path, JSON.stringify(profile));
    note(`query: CPU profile of ${PROFILED_CALLS} of our calls written to ${path}`);
  } finally {
    session.disconnect();
  }
}

function results(ours: Timing, direct: Timing, yoga: Timing): BenchResult[] {
  const rps = (t: Timing) => 1_000_000 / t.mean;
  const describe = (t: Timing) => `p50 ${formatNumber(t.p50)} µs, p99 ${formatNumber(t.p99)} µs, mean ${formatNumber(t.mean)} µs, ${formatNumber(rps(t))} req/s`;
  note(`query: ours   ${describe(ours)}`);
  note(`query: pg     ${describe(direct)}`);
  note(`query: yoga   ${describe(yoga)}`);
  const vsPg = ours.p50 / direct.p50;
  const vsYoga = ours.p50 / yoga.p50;
  note(
    `query: p50 goal ≤ ${P50_GOAL_VS_PG}× direct pg ${vsPg <= P50_GOAL_VS_PG ? 'MET' : `NOT met (${vsPg.toFixed(1)}×, ${formatNumber((ours.p50 - P50_GOAL_VS_PG * direct.p50) / 1_000)} ms over)`}; ` +
      `≤ ${P50_GOAL_VS_YOGA}× bare yoga ${vsYoga <= P50_GOAL_VS_YOGA ? 'MET' : `NOT met (${vsYoga.toFixed(1)}×, ${formatNumber((ours.p50 - P50_GOAL_VS_YOGA * yoga.p50) / 1_000)} ms over)`}`,
  );
  const notes = `one auto-approved submitQuery(execute: true) per call over HTTP on loopback, sequential, ${ITERATIONS} calls after ${WARMUP} warm-up; store and target on PostgreSQL 15`;
  const common = { samples: ours.samples, notes };
  return [
    compare({ ...common, name: 'query.p1.p50.vs-pg', unit: 'µs', ours: ours.p50, baseline: direct.p50, baselineLabel: PG_LABEL }),
    compare({ ...common, name: 'query.p1.p50.vs-yoga', unit: 'µs', ours: ours.p50, baseline: yoga.p50, baselineLabel: YOGA_LABEL }),
    compare({ ...common, name: 'query.p1.p99.vs-pg', unit: 'µs', ours: ours.p99, baseline: direct.p99, baselineLabel: PG_LABEL }),
    compare({ ...common, name: 'query.p1.p99.vs-yoga', unit: 'µs', ours: ours.p99, baseline: yoga.p99, baselineLabel: YOGA_LABEL }),
    compare({ ...common, name: 'query.p1.rps.vs-yoga', unit: 'req/s', ours: rps(ours), baseline: rps(yoga), baselineLabel: `${YOGA_LABEL}; sequential, higher is better` }),
  ];
}

async function seedTarget(targetUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: targetUrl });
  await client.connect();
  try {
    await client.query(`
      create table customers (id int primary key, name text not null, email text not null);
      insert into customers select i, 'name ' || i, 'person' || i || '@example.com' from generate_series(1, ${TABLE_ROWS}) i;
      analyze customers;`);
  } finally {
    await client.end();
  }
}

async function gql<T>(url: string, query: string, variables: Record<string, unknown>, authorization?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(authorization ? { authorization } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLBody<T>;
  if (body.errors?.length || !body.data) throw new Error(`GraphQL call failed (${response.status}): ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

/** A mutation whose result is a `… Success { data }` | Error union: returns `data`, or throws with the error. */
async function mutate<T>(url: string, field: string, query: string, variables: Record<string, unknown>, authorization?: string): Promise<T> {
  const data = await gql<Record<string, { __typename: string; data?: T; message?: string }>>(url, query, variables, authorization);
  const result = data[field]!;
  if (!result.__typename.endsWith('Success')) throw new Error(`${field}: ${result.__typename}: ${result.message ?? ''}`);
  return result.data as T;
}

const ERROR = '... on Error { code message }';

/**
 * First-run setup, a PostgreSQL datasource on the target, an ANALYST with an API key, a read grant on `public`
 * and an EMAIL masking policy on customers.email — all through the public API, as in query-request.test.ts.
 */
async function setUpGovernedRead(url: string, setupToken: string, targetUrl: string): Promise<{ datasourceId: string; authorization: string }> {
  const password = 'correct horse battery staple';
  const setup = await mutate<{ accessToken: string }>(
    url,
    'setup',
    `mutation($input: SetupInput!) { setup(input: $input) { __typename ... on MutationSetupSuccess { data { accessToken } } ${ERROR} } }`,
    { input: { setupToken, organizationName: 'Bench', email: 'admin@bench.test', password, displayName: 'Admin' } },
  );
  const admin = `Bearer ${setup.accessToken}`;
  const target = new URL(targetUrl);
  const datasource = await mutate<{ id: string }>(
    url,
    'upsertDatasource',
    `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ${ERROR} } }`,
    { input: { name: 'crm', dbType: 'POSTGRESQL', host: target.hostname, port: Number(target.port), databaseName: target.pathname.slice(1), username: 'postgres', password: 'unused-with-trust' } },
    admin,
  );
  const user = await mutate<{ id: string }>(
    url,
    'createUser',
    `mutation($input: CreateUserInput!) { createUser(input: $input) { __typename ... on MutationCreateUserSuccess { data { id } } ${ERROR} } }`,
    { input: { email: 'analyst@bench.test', password, displayName: 'Analyst', role: 'ANALYST' } },
    admin,
  );
  const key = await mutate<{ secret: string }>(
    url,
    'createApiKey',
    `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { __typename ... on MutationCreateApiKeySuccess { data { secret } } ${ERROR} } }`,
    { input: { name: 'bench', userId: user.id } },
    admin,
  );
  await mutate(
    url,
    'upsertGrant',
    `mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename ... on MutationUpsertGrantSuccess { data { id } } ${ERROR} } }`,
    { input: { datasourceId: datasource.id, userId: user.id, canRead: true, allowedSchemas: ['public'] } },
    admin,
  );
  await mutate(
    url,
    'upsertMaskingPolicy',
    `mutation($input: UpsertMaskingPolicyInput!) { upsertMaskingPolicy(input: $input) { __typename ... on MutationUpsertMaskingPolicySuccess { data { id } } ${ERROR} } }`,
    { input: { datasourceId: datasource.id, columnRef: 'public.customers.email', strategy: 'EMAIL' } },
    admin,
  );
  return { datasourceId: datasource.id, authorization: `Bearer ${key.secret}` };
}

const SUBMIT = `mutation($input: SubmitQueryInput!) { submitQuery(input: $input) { __typename
  ... on MutationSubmitQuerySuccess { data { status result { rows } } } ... on Error { code message } } }`;

function oursCall(url: string, authorization: string, datasourceId: string): Call {
  type Submitted = { status: string; result: { rows: unknown[][] } | null };
  return async (i) => {
    const request = await mutate<Submitted>(url, 'submitQuery', SUBMIT, { input: { datasourceId, query: sqlFor(i), justification: 'bench', execute: true } }, authorization);
    if (request.status !== 'EXECUTED' || request.result?.rows.length !== 1) throw new Error(`ours: expected one EXECUTED row, got ${JSON.stringify(request)}`);
  };
}

const CUSTOMER = `query($id: Int!) { customer(id: $id) { id name email } }`;

function yogaCall(url: string): Call {
  return async (i) => {
    const data = await gql<{ customer: { id: number } | null }>(url, CUSTOMER, { id: (i % TABLE_ROWS) + 1 });
    if (data.customer === null) throw new Error('bare yoga: no row');
  };
}

/** The floor: graphql-yoga with one resolver running the same SQL text through pg, on node:http on loopback. */
async function startBareYoga(pool: pg.Pool): Promise<{ url: string; close(): Promise<void> }> {
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Customer { id: Int!, name: String!, email: String! } type Query { customer(id: Int!): Customer }',
      resolvers: {
        Query: {
          customer: async (_root: unknown, args: { id: number }) => {
            const result = await pool.query<{ id: number; name: string; email: string }>(sqlFor(args.id - 1));
            return result.rows[0] ?? null;
          },
        },
      },
    }),
    graphqlEndpoint: '/graphql',
    graphiql: false,
    landingPage: false,
    logging: false,
  });
  const server: Server = createServer(yoga);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

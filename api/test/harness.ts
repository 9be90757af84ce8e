/**
 * The test harness for the API: a real server (in-process, or listening on a loopback port) on a fresh
 * PostgreSQL database of the run's cluster or on a fresh embedded PGlite store, with a typed GraphQL client
 * and fixtures that set up organizations and users through the public API only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { createLogger, type Logger } from '../src/logger.ts';
import type { Role } from '../src/modules/identity/permissions.ts';
import { createPostgresDatabase } from './servers.ts';

export interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
}

export interface Caller {
  /** `Authorization` header value, e.g. `Bearer eyJ…` or `Bearer af_…`. */
  authorization?: string;
  headers?: Record<string, string>;
}

export interface TestApp {
  app: App;
  config: Config;
  /** Superuser URL of this app's store database (PostgreSQL stores only). */
  databaseUrl: string | null;
  setupToken: string;
  gql<TData = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, caller?: Caller): Promise<GraphQLResponse<TData>>;
  /** Raw HTTP against the in-process server. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  store?: 'postgresql' | 'pglite';
  redis?: boolean;
  env?: Record<string, string>;
  /** The server's logger; silent by default. */
  log?: Logger;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'accessflow-test-'));
  const databaseUrl = options.store === 'pglite' ? null : await createPostgresDatabase(inject('postgresUrl'));
  const setupToken = randomBytes(18).toString('base64url');
  const config = loadConfig({
    ACCESSFLOW_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    ACCESSFLOW_SETUP_TOKEN: setupToken,
    JWT_SIGNING_KEY: randomBytes(32).toString('hex'),
    AUDIT_HMAC_KEY: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '4' } : {}),
    ...(options.redis ? { REDIS_URL: inject('redisUrl') } : {}),
    ...options.env,
  });
  const app = await buildApp(config, options.log ?? createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent'));
  const fetch = (path: string, init?: RequestInit) => app.fetch(new Request(`http://test.local${path}`, init));
  return {
    app,
    config,
    databaseUrl,
    setupToken,
    fetch,
    async gql(query, variables, caller = {}) {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(caller.authorization ? { authorization: caller.authorization } : {}),
          ...caller.headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<never>;
    },
    async close() {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Throws with the whole response when a GraphQL call did not succeed; returns `data`. */
export function ok<TData>(response: GraphQLResponse<TData>): TData {
  if (response.errors?.length || !response.data) {
    throw new Error(`GraphQL call failed: ${JSON.stringify(response.errors ?? response)}`);
  }
  return response.data;
}

/** Unwraps a mutation result union: returns `data` of the Success member, or throws naming the error member. */
export function success<T>(result: { __typename: string; data?: T; code?: string; message?: string }): T {
  if (!result.__typename.endsWith('Success')) throw new Error(`expected success, got ${result.__typename}: ${result.message}`);
  return result.data as T;
}

export const PASSWORD = 'correct horse battery staple';

export interface Org {
  orgId: string;
  admin: { id: string; accessToken: string; refreshToken: string; authorization: string };
}

const SETUP = `mutation Setup($input: SetupInput!) {
  setup(input: $input) {
    __typename
    ... on MutationSetupSuccess { data { accessToken refreshToken user { id organization { id } } } }
    ... on Error { code message }
  }
}`;

/** First-run setup through the API: the first organization and its admin (a platform admin). */
export async function setupFirstOrg(t: TestApp, name = 'Acme', email = 'admin@acme.test'): Promise<Org> {
  type Payload = { accessToken: string; refreshToken: string; user: { id: string; organization: { id: string } } };
  const data = ok(
    await t.gql<{ setup: { __typename: string; data?: Payload } }>(SETUP, {
      input: { setupToken: t.setupToken, organizationName: name, email, password: PASSWORD, displayName: 'Admin' },
    }),
  );
  const payload = success(data.setup);
  return {
    orgId: payload.user.organization.id,
    admin: { id: payload.user.id, accessToken: payload.accessToken, refreshToken: payload.refreshToken, authorization: `Bearer ${payload.accessToken}` },
  };
}

/** A second organization, created by a platform admin, with its admin signed in. */
export async function createOrg(t: TestApp, platformAdmin: Caller, name: string, adminEmail: string): Promise<Org> {
  const created = ok(
    await t.gql<{ createOrganization: { __typename: string; data?: { id: string } } }>(
      `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) {
        __typename ... on MutationCreateOrganizationSuccess { data { id } } ... on Error { code message } } }`,
      { input: { name, admin: { email: adminEmail, password: PASSWORD, displayName: `${name} admin` } } },
      platformAdmin,
    ),
  );
  const orgId = success(created.createOrganization).id;
  const session = await login(t, adminEmail);
  return { orgId, admin: session };
}

export async function login(t: TestApp, email: string, password = PASSWORD) {
  type Payload = { accessToken: string; refreshToken: string; user: { id: string } };
  const data = ok(
    await t.gql<{ login: { __typename: string; data?: Payload } }>(
      `mutation($input: LoginInput!) { login(input: $input) {
        __typename ... on MutationLoginSuccess { data { accessToken refreshToken user { id } } } ... on Error { code message } } }`,
      { input: { email, password } },
    ),
  );
  const payload = success(data.login);
  return { id: payload.user.id, accessToken: payload.accessToken, refreshToken: payload.refreshToken, authorization: `Bearer ${payload.accessToken}` };
}

/** A user with `role`, created by `admin`, and an API key for them (`Bearer af_…`). */
export async function createUserWithKey(t: TestApp, admin: Caller, role: Role, email: string): Promise<{ id: string; authorization: string; apiKeyId: string }> {
  const created = ok(
    await t.gql<{ createUser: { __typename: string; data?: { id: string } } }>(
      `mutation($input: CreateUserInput!) { createUser(input: $input) {
        __typename ... on MutationCreateUserSuccess { data { id } } ... on Error { code message } } }`,
      { input: { email, password: PASSWORD, displayName: `${role} user`, role } },
      admin,
    ),
  );
  const userId = success(created.createUser).id;
  const key = await createApiKey(t, admin, userId);
  return { id: userId, authorization: `Bearer ${key.secret}`, apiKeyId: key.id };
}

export async function createApiKey(t: TestApp, caller: Caller, userId?: string, expiresAt?: Date): Promise<{ id: string; secret: string }> {
  const data = ok(
    await t.gql<{ createApiKey: { __typename: string; data?: { secret: string; apiKey: { id: string } } } }>(
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) {
        __typename ... on MutationCreateApiKeySuccess { data { secret apiKey { id } } } ... on Error { code message } } }`,
      { input: { name: `key-${randomBytes(4).toString('hex')}`, userId, expiresAt: expiresAt?.toISOString() } },
      caller,
    ),
  );
  const created = success(data.createApiKey);
  return { id: created.apiKey.id, secret: created.secret };
}

/** Exact row counts of every table of the store, read as the database superuser. */
export async function rowCounts(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `select tablename as name from pg_tables where schemaname = 'public' order by tablename`,
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables.rows) {
      const result = await client.query<{ n: string }>(`select count(*) as n from "${name}"`);
      counts[name] = Number(result.rows[0]!.n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

/** Runs `sql` on the store database as the superuser (tamper tests, raw RLS checks). */
export async function superuserQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

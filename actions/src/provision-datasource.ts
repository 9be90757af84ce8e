/**
 * provision-datasource: create the datasource with this name, or make the existing one match (the server's
 * upsert is by name and authoritative), then test its connection. Plain logic, shared by the CLI and the Action.
 */
import { retrying, unwrap, type ErrorResult, type GraphQLClient } from './client.ts';
import { CliError, EXIT, type ExitCode } from './errors.ts';
import { DATASOURCE_BY_NAME, TEST_DATASOURCE_CONNECTION, UPSERT_DATASOURCE } from './operations.ts';

const DB_TYPES = ['POSTGRESQL', 'MYSQL', 'MARIADB'];
const SSL_MODES = ['DISABLE', 'REQUIRE', 'VERIFY_CA', 'VERIFY_FULL'];

/** Everything as the text a CI input or a flag carries; empty means "not given". */
export interface ProvisionOptions {
  name: string;
  dbType: string;
  host: string;
  port?: string | undefined;
  databaseName: string;
  username: string;
  password?: string | undefined;
  sslMode?: string | undefined;
  reviewPlanId?: string | undefined;
  aiConfigId?: string | undefined;
  aiAnalysisEnabled?: string | undefined;
  textToSqlEnabled?: string | undefined;
  requireReviewReads?: string | undefined;
  requireReviewWrites?: string | undefined;
  maxRowsPerQuery?: string | undefined;
  connectionPoolSize?: string | undefined;
  /** Test the connection after saving (default true). */
  testConnection: boolean;
  connectRetrySeconds: number;
  signal: AbortSignal;
}

export interface ProvisionOutcome {
  exitCode: ExitCode;
  message: string;
  datasource: { id: string; name: string; dbType: string; host: string; port: number; databaseName: string };
  /** Whether this call created it (false: an existing datasource was updated or unchanged). */
  created: boolean;
  connection: { ok: boolean; error: string | null; serverVersion: string | null } | null;
}

export function upsertInput(options: ProvisionOptions): Record<string, unknown> {
  const missing = (['name', 'dbType', 'host', 'databaseName', 'username'] as const).filter((k) => !options[k]?.trim());
  if (missing.length) throw new CliError(`missing required input(s): ${missing.map(kebab).join(', ')}`, EXIT.USAGE);
  const dbType = options.dbType.trim().toUpperCase();
  if (!DB_TYPES.includes(dbType)) throw new CliError(`db-type must be one of ${DB_TYPES.join(', ')}; got ${options.dbType}`, EXIT.USAGE);
  const sslMode = options.sslMode?.trim() ? options.sslMode.trim().toUpperCase() : undefined;
  if (sslMode && !SSL_MODES.includes(sslMode)) throw new CliError(`ssl-mode must be one of ${SSL_MODES.join(', ')}; got ${options.sslMode}`, EXIT.USAGE);
  if (options.aiConfigId?.trim()) throw new CliError('ai-config-id: this AccessFlow server has no AI configurations yet; leave it empty', EXIT.USAGE);
  const input: Record<string, unknown> = {
    name: options.name.trim(),
    dbType,
    host: options.host.trim(),
    databaseName: options.databaseName.trim(),
    username: options.username.trim(),
    port: integer('port', options.port),
    password: options.password || undefined,
    sslMode,
    reviewPlanId: options.reviewPlanId?.trim() || undefined,
    aiAnalysisEnabled: boolean('ai-analysis-enabled', options.aiAnalysisEnabled),
    textToSqlEnabled: boolean('text-to-sql-enabled', options.textToSqlEnabled),
    requireReviewReads: boolean('require-review-reads', options.requireReviewReads),
    requireReviewWrites: boolean('require-review-writes', options.requireReviewWrites),
    maxRowsPerQuery: integer('max-rows-per-query', options.maxRowsPerQuery),
    connectionPoolSize: integer('connection-pool-size', options.connectionPoolSize),
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

export async function provisionDatasource(client: GraphQLClient, options: ProvisionOptions): Promise<ProvisionOutcome> {
  const input = upsertInput(options);
  const budget = options.connectRetrySeconds * 1000;
  type Saved = ProvisionOutcome['datasource'];
  const before = await retrying(
    () => client.request<{ datasourceByName: { id: string } | null }>(DATASOURCE_BY_NAME, { name: input['name'] }, options.signal),
    budget,
    options.signal,
  );
  const created = before.datasourceByName === null;
  // The upsert is by name and authoritative: repeating it after a lost response changes nothing.
  const saved = await retrying(async () => {
    const data = await client.request<{ upsertDatasource: ErrorResult & { data?: Saved } }>(UPSERT_DATASOURCE, { input }, options.signal);
    return unwrap('upsertDatasource', data.upsertDatasource);
  }, budget, options.signal);
  if (!options.testConnection) {
    return { exitCode: EXIT.OK, message: `datasource ${saved.name} (${saved.id}) ${created ? 'created' : 'updated'}`, datasource: saved, created, connection: null };
  }
  const tested = await retrying(async () => {
    type Check = NonNullable<ProvisionOutcome['connection']>;
    const data = await client.request<{ testDatasourceConnection: ErrorResult & { data?: Check } }>(TEST_DATASOURCE_CONNECTION, { id: saved.id }, options.signal);
    return unwrap('testDatasourceConnection', data.testDatasourceConnection);
  }, budget, options.signal);
  const what = `datasource ${saved.name} (${saved.id}) ${created ? 'created' : 'updated'}`;
  return tested.ok
    ? { exitCode: EXIT.OK, message: `${what}; connection ok${tested.serverVersion ? ` (${tested.serverVersion})` : ''}`, datasource: saved, created, connection: tested }
    : { exitCode: EXIT.FAILED, message: `${what}; connection test failed: ${tested.error ?? 'no error message'}`, datasource: saved, created, connection: tested };
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function boolean(name: string, value: string | undefined): boolean | undefined {
  const v = value?.trim().toLowerCase();
  if (!v) return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new CliError(`${name} must be true or false; got ${value}`, EXIT.USAGE);
}

function integer(name: string, value: string | undefined): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (!/^\d+$/.test(v)) throw new CliError(`${name} must be a whole number; got ${value}`, EXIT.USAGE);
  return Number(v);
}

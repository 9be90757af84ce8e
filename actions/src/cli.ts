/**
 * The `accessflow` command line: parses arguments (each option falls back to an `AF_<OPTION>` variable, as the
 * seed's GitLab jobs used), runs one command, prints text or `--json`, and returns the exit code.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ciRequestId, userAgent } from './ci.ts';
import { GraphQLClient } from './client.ts';
import { CliError, EXIT } from './errors.ts';
import { textTable } from './format.ts';
import { interruptible } from './interrupt.ts';
import { provisionDatasource, type ProvisionOptions } from './provision-datasource.ts';
import { hasRows, PendingRequest, resolveDatasource, runQuery } from './run-query.ts';
import { codeQuality, markdownSummary, reviewSql, RISK_LEVELS, sarif, type SqlReviewOptions } from './sql-review.ts';
import { VERSION } from './version.ts';
import { TRANSPORTS, type Transport } from './wait.ts';

export interface Io {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Aborted on SIGINT / SIGTERM; `reason` is the signal name. */
  signal: AbortSignal;
}

const COMMON = {
  endpoint: { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
  'connect-retry-seconds': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COMMANDS = {
  'run-query': {
    ...COMMON,
    datasource: { type: 'string' },
    'datasource-id': { type: 'string' },
    sql: { type: 'string' },
    'sql-file': { type: 'string' },
    justification: { type: 'string' },
    'timeout-seconds': { type: 'string' },
    'poll-interval-seconds': { type: 'string' },
    execute: { type: 'boolean' },
    'request-key': { type: 'string' },
    transport: { type: 'string' },
    dotenv: { type: 'string' },
  },
  'provision-datasource': {
    ...COMMON,
    name: { type: 'string' },
    'db-type': { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'database-name': { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    'ssl-mode': { type: 'string' },
    'review-plan-id': { type: 'string' },
    'ai-config-id': { type: 'string' },
    'ai-analysis-enabled': { type: 'string' },
    'text-to-sql-enabled': { type: 'string' },
    'require-review-reads': { type: 'string' },
    'require-review-writes': { type: 'string' },
    'max-rows-per-query': { type: 'string' },
    'connection-pool-size': { type: 'string' },
    'test-connection': { type: 'boolean' },
    dotenv: { type: 'string' },
  },
  'sql-review': {
    ...COMMON,
    datasource: { type: 'string' },
    'datasource-id': { type: 'string' },
    files: { type: 'string' },
    'base-ref': { type: 'string' },
    'fail-on-risk': { type: 'string' },
    routing: { type: 'boolean' },
    sarif: { type: 'string' },
    'code-quality': { type: 'string' },
    markdown: { type: 'string' },
  },
} as const;

type CommandName = keyof typeof COMMANDS;

export const USAGE = `accessflow ${VERSION}: governed SQL from pipelines, through AccessFlow's GraphQL API

usage: accessflow <command> [options]

commands:
  run-query             submit a statement, wait for its review, run it when approved, print the result
  provision-datasource  create or update a datasource by name and test its connection
  sql-review            classify and risk-score every statement of SQL files without submitting them

Every option also reads AF_<OPTION> (e.g. --datasource-id from AF_DATASOURCE_ID); --endpoint and --api-key
default to ACCESSFLOW_ENDPOINT and ACCESSFLOW_API_KEY. Add --json for machine-readable output.

exit codes: 0 done · 1 rejected / changes requested / cancelled / refused · 2 bad input · 3 execution or
connection test failed · 4 timed out · 5 API key refused or not allowed · 6 AccessFlow unreachable ·
130 / 143 interrupted by SIGINT / SIGTERM (a pending request is cancelled first)

run 'accessflow <command> --help' for a command's options.`;

/** Option value: the flag, else AF_<NAME>, else the default. */
function option(values: Record<string, unknown>, env: NodeJS.ProcessEnv, name: string): string | undefined {
  const flag = values[name];
  if (typeof flag === 'string') return flag;
  const fromEnv = env[`AF_${name.toUpperCase().replaceAll('-', '_')}`];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

function flag(values: Record<string, unknown>, env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const given = values[name];
  if (typeof given === 'boolean') return given;
  const fromEnv = env[`AF_${name.toUpperCase().replaceAll('-', '_')}`]?.trim().toLowerCase();
  if (!fromEnv) return fallback;
  if (fromEnv === 'true' || fromEnv === '1') return true;
  if (fromEnv === 'false' || fromEnv === '0') return false;
  throw new CliError(`AF_${name.toUpperCase().replaceAll('-', '_')} must be true or false`, EXIT.USAGE);
}

function seconds(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new CliError(`${name} must be a number of seconds; got ${text}`, EXIT.USAGE);
  return value;
}

function clientOf(values: Record<string, unknown>, env: NodeJS.ProcessEnv): GraphQLClient {
  // As every option: the flag, then AF_<OPTION> (a job can override a project-wide key), then ACCESSFLOW_*.
  const endpoint = option(values, env, 'endpoint') ?? env['ACCESSFLOW_ENDPOINT'] ?? '';
  const apiKey = option(values, env, 'api-key') ?? env['ACCESSFLOW_API_KEY'] ?? '';
  return new GraphQLClient({ endpoint, apiKey, ci: true, userAgent: userAgent(VERSION, env) });
}

function commandHelp(command: CommandName): string {
  const names = Object.keys(COMMANDS[command]).map((n) => `--${n}`);
  return `usage: accessflow ${command} [options]\noptions: ${names.join(' ')}\nsee docs/actions/${command}.md`;
}

/** KEY=value lines for a GitLab `artifacts:reports:dotenv` file (values are single-line by construction). */
async function writeDotenv(path: string | undefined, values: Record<string, string>): Promise<void> {
  if (!path) return;
  await writeFile(path, Object.entries(values).map(([k, v]) => `${k}=${v.replaceAll('\n', ' ')}\n`).join(''));
}

/** Runs one command line; never throws. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(`${USAGE}\n`);
    return command ? EXIT.OK : EXIT.USAGE;
  }
  if (command === '--version' || command === 'version') {
    io.stdout(`${VERSION}\n`);
    return EXIT.OK;
  }
  const json = rest.includes('--json');
  try {
    if (!(command in COMMANDS)) throw new CliError(`unknown command: ${command} (try --help)`, EXIT.USAGE);
    const name = command as CommandName;
    let parsed: { values: Record<string, unknown>; positionals: string[] };
    try {
      parsed = parseArgs({ args: rest, options: COMMANDS[name], allowPositionals: name === 'sql-review', allowNegative: true, strict: true });
    } catch (error) {
      throw new CliError(`${(error as Error).message}\n${commandHelp(name)}`, EXIT.USAGE);
    }
    const { values, positionals } = parsed;
    if (values['help']) {
      io.stdout(`${commandHelp(name)}\n`);
      return EXIT.OK;
    }
    if (name === 'run-query') return await runQueryCommand(values, io, json);
    if (name === 'provision-datasource') return await provisionCommand(values, io, json);
    return await sqlReviewCommand(values, positionals, io, json);
  } catch (error) {
    return fail(error, io, json);
  }
}

export function fail(error: unknown, io: Io, json: boolean): number {
  const exitCode = error instanceof CliError ? error.exitCode : EXIT.UNREACHABLE;
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`accessflow: ${message}\n`);
  if (json) io.stdout(`${JSON.stringify({ ok: false, exitCode, error: message })}\n`);
  return exitCode;
}

async function runQueryCommand(values: Record<string, unknown>, io: Io, json: boolean): Promise<number> {
  const { env } = io;
  const client = clientOf(values, env);
  const transport = option(values, env, 'transport') ?? 'auto';
  let transports: readonly Transport[] | undefined;
  if (transport !== 'auto') {
    if (!(TRANSPORTS as readonly string[]).includes(transport)) throw new CliError(`--transport must be auto, ${TRANSPORTS.join(', ')}`, EXIT.USAGE);
    transports = [transport as Transport];
  }
  const pending = new PendingRequest();
  const log = (message: string) => io.stderr(`accessflow: ${message}\n`);
  const work = runQuery(
    client,
    {
      datasource: option(values, env, 'datasource'),
      datasourceId: option(values, env, 'datasource-id'),
      sql: option(values, env, 'sql'),
      sqlFile: option(values, env, 'sql-file'),
      justification: option(values, env, 'justification'),
      execute: flag(values, env, 'execute', true),
      timeoutSeconds: seconds('timeout-seconds', option(values, env, 'timeout-seconds'), 300),
      maxPollMs: seconds('poll-interval-seconds', option(values, env, 'poll-interval-seconds'), 5) * 1000,
      connectRetrySeconds: seconds('connect-retry-seconds', option(values, env, 'connect-retry-seconds'), 30),
      clientRequestId: ciRequestId(env, option(values, env, 'request-key')),
      transports,
      signal: io.signal,
      log,
    },
    pending,
  );
  const outcome = await interruptible(work, io, async () => {
    const cancelled = await pending.cancel(client).catch((error: unknown) => {
      log(`could not cancel request ${pending.id}: ${(error as Error).message}`);
      return null;
    });
    return cancelled ? `cancelled request ${cancelled}` : pending.id ? `request ${pending.id} was ${pending.status}; nothing to cancel` : 'nothing was submitted';
  });
  const { request } = outcome;
  await writeDotenv(option(values, env, 'dotenv'), {
    AF_QUERY_ID: request.id,
    AF_STATUS: request.status,
    AF_ROWS_AFFECTED: request.rowsAffected === null ? '' : String(request.rowsAffected),
    AF_RISK_LEVEL: request.riskLevel ?? '',
  });
  if (json) {
    io.stdout(
      `${JSON.stringify({
        ok: outcome.exitCode === EXIT.OK,
        exitCode: outcome.exitCode,
        message: outcome.message,
        requestId: request.id,
        status: request.status,
        clientRequestId: outcome.clientRequestId,
        datasource: outcome.datasource,
        queryType: request.queryType,
        riskLevel: request.riskLevel,
        riskScore: request.riskScore,
        rowsAffected: request.rowsAffected,
        result: request.result,
        error: request.error,
        decisions: request.decisions,
        transport: outcome.transport,
      })}\n`,
    );
    io.stderr(`accessflow: request ${request.id} on ${outcome.datasource.name}: ${request.status}: ${outcome.message}\n`);
  } else {
    io.stdout(`request ${request.id} on ${outcome.datasource.name}: ${request.status}: ${outcome.message}\n`);
    if (hasRows(request)) io.stdout(`${textTable(request.result!)}\n`);
  }
  if (outcome.exitCode !== EXIT.OK && !json) io.stderr(`accessflow: ${outcome.message}\n`);
  return outcome.exitCode;
}

async function provisionCommand(values: Record<string, unknown>, io: Io, json: boolean): Promise<number> {
  const { env } = io;
  const client = clientOf(values, env);
  const get = (name: string) => option(values, env, name);
  const options: ProvisionOptions = {
    name: get('name') ?? '',
    dbType: get('db-type') ?? '',
    host: get('host') ?? '',
    port: get('port'),
    databaseName: get('database-name') ?? '',
    username: get('username') ?? '',
    password: get('password'),
    sslMode: get('ssl-mode'),
    reviewPlanId: get('review-plan-id'),
    aiConfigId: get('ai-config-id'),
    aiAnalysisEnabled: get('ai-analysis-enabled'),
    textToSqlEnabled: get('text-to-sql-enabled'),
    requireReviewReads: get('require-review-reads'),
    requireReviewWrites: get('require-review-writes'),
    maxRowsPerQuery: get('max-rows-per-query'),
    connectionPoolSize: get('connection-pool-size'),
    testConnection: flag(values, env, 'test-connection', true),
    connectRetrySeconds: seconds('connect-retry-seconds', get('connect-retry-seconds'), 30),
    signal: io.signal,
  };
  const outcome = await interruptible(provisionDatasource(client, options), io, async () => 'provisioning interrupted');
  // AF_DATASOURCE_ID: a later GitLab job that `needs` this one gets it as its run-query datasource.
  await writeDotenv(get('dotenv'), { AF_DATASOURCE_ID: outcome.datasource.id, AF_DATASOURCE_CREATED: String(outcome.created) });
  if (json) {
    io.stdout(`${JSON.stringify({ ok: outcome.exitCode === EXIT.OK, exitCode: outcome.exitCode, message: outcome.message, id: outcome.datasource.id, created: outcome.created, datasource: outcome.datasource, connection: outcome.connection })}\n`);
  } else {
    io.stdout(`${outcome.datasource.id}\n`);
  }
  io.stderr(`accessflow: ${outcome.message}\n`);
  return outcome.exitCode;
}

async function sqlReviewCommand(values: Record<string, unknown>, positionals: string[], io: Io, json: boolean): Promise<number> {
  const { env } = io;
  const client = clientOf(values, env);
  const get = (name: string) => option(values, env, name);
  const connectRetrySeconds = seconds('connect-retry-seconds', get('connect-retry-seconds'), 30);
  const failOnRisk = (get('fail-on-risk') ?? 'CRITICAL').toUpperCase();
  if (failOnRisk !== 'NONE' && !(RISK_LEVELS as readonly string[]).includes(failOnRisk)) {
    throw new CliError(`--fail-on-risk must be one of ${RISK_LEVELS.join(', ')} or none; got ${failOnRisk}`, EXIT.USAGE);
  }
  const patterns = [...positionals, ...(get('files') ?? '').split(/[\n,]/)].map((p) => p.trim()).filter(Boolean);
  const work = (async () => {
    const datasource = await resolveDatasource(client, { datasource: get('datasource'), datasourceId: get('datasource-id'), signal: io.signal, connectRetrySeconds });
    return reviewSql(client, {
      datasourceId: datasource.id,
      patterns,
      baseRef: get('base-ref'),
      failOnRisk: failOnRisk as SqlReviewOptions['failOnRisk'],
      routing: flag(values, env, 'routing', true),
      cwd: process.cwd(),
      connectRetrySeconds,
      signal: io.signal,
    });
  })();
  const outcome = await interruptible(work, io, async () => 'review interrupted');
  const writes: [string | undefined, string][] = [
    [get('sarif'), `${JSON.stringify(sarif(outcome, VERSION), null, 2)}\n`],
    [get('code-quality'), `${JSON.stringify(codeQuality(outcome), null, 2)}\n`],
    [get('markdown'), markdownSummary(outcome)],
  ];
  for (const [path, text] of writes) if (path) await writeFile(path, text);
  if (json) {
    io.stdout(`${JSON.stringify({ ok: outcome.exitCode === EXIT.OK, exitCode: outcome.exitCode, message: outcome.message, maxRiskLevel: outcome.maxRiskLevel, findings: outcome.findings, files: outcome.files })}\n`);
  } else {
    for (const f of outcome.findings) io.stdout(`${f.file}:${f.startLine}: ${f.severity}${f.blocking ? ' (blocking)' : ''}: ${f.message}\n`);
    io.stdout(`${outcome.message}\n`);
  }
  return outcome.exitCode;
}

/**
 * run-query: submit one governed statement, wait for its verdict, run it when approved (if asked), and report
 * the outcome. Plain logic: no CI library here; the CLI and the GitHub Action both call `runQuery`.
 */
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { retrying, unwrap, type ErrorResult, type GraphQLClient } from './client.ts';
import { CliError, EXIT, UnreachableError, type ExitCode } from './errors.ts';
import { CANCEL_QUERY_REQUEST, DATASOURCE_BY_ID, DATASOURCE_BY_NAME, EXECUTE_QUERY_REQUEST, SUBMIT_QUERY, type RequestState } from './operations.ts';
import { isSettled, waitForSettled, type Transport } from './wait.ts';

export interface RunQueryOptions {
  /** By id, or by name (exactly one). */
  datasourceId?: string | undefined;
  datasource?: string | undefined;
  /** Inline SQL, or a file to read it from (exactly one). */
  sql?: string | undefined;
  sqlFile?: string | undefined;
  justification?: string | undefined;
  /** Run the statement once approved (default true); false stops at APPROVED. */
  execute: boolean;
  timeoutSeconds: number;
  /** The idempotency key; a repeat returns the same request. */
  clientRequestId: string | null;
  transports?: readonly Transport[] | undefined;
  maxPollMs?: number | undefined;
  /** How long to keep retrying when AccessFlow cannot be reached before anything was submitted. */
  connectRetrySeconds: number;
  signal: AbortSignal;
  log?: (message: string) => void;
}

export interface RunQueryOutcome {
  exitCode: ExitCode;
  /** One line for people: what happened and, when it stopped, why. */
  message: string;
  request: RequestState;
  datasource: { id: string; name: string };
  clientRequestId: string;
  /** How the wait learned the verdict: `none` when the submission itself settled it. */
  transport: Transport | 'none';
}

export async function resolveDatasource(client: GraphQLClient, options: Pick<RunQueryOptions, 'datasource' | 'datasourceId' | 'signal' | 'connectRetrySeconds'>) {
  if (Boolean(options.datasource) === Boolean(options.datasourceId)) {
    throw new CliError('name the datasource with exactly one of --datasource (name) and --datasource-id', EXIT.USAGE);
  }
  type Found = { id: string; name: string; dbType: string } | null;
  const budget = options.connectRetrySeconds * 1000;
  if (options.datasource) {
    const name = options.datasource;
    const data = await retrying(() => client.request<{ datasourceByName: Found }>(DATASOURCE_BY_NAME, { name }, options.signal), budget, options.signal);
    if (!data.datasourceByName) throw new CliError(`no datasource named "${name}" (or no grant on it for this API key)`, EXIT.USAGE);
    return data.datasourceByName;
  }
  const id = options.datasourceId!;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new CliError(`datasource id is not a UUID: ${id} (use --datasource for a name)`, EXIT.USAGE);
  }
  const data = await retrying(() => client.request<{ datasource: Found }>(DATASOURCE_BY_ID, { id }, options.signal), budget, options.signal);
  if (!data.datasource) throw new CliError(`no datasource with id ${id} (or no grant on it for this API key)`, EXIT.USAGE);
  return data.datasource;
}

export async function readSql(options: Pick<RunQueryOptions, 'sql' | 'sqlFile'>): Promise<string> {
  if (Boolean(options.sql) === Boolean(options.sqlFile)) throw new CliError('give the statement with exactly one of --sql and --sql-file', EXIT.USAGE);
  if (options.sql) return options.sql;
  try {
    const text = await readFile(options.sqlFile!, 'utf8');
    if (!text.trim()) throw new CliError(`SQL file is empty: ${options.sqlFile}`, EXIT.USAGE);
    return text;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `SQL file not found: ${options.sqlFile}` : `cannot read SQL file ${options.sqlFile}: ${code ?? String(error)}`, EXIT.USAGE);
  }
}

/**
 * Tracks the request in flight so a signal handler can cancel it. `cancel()` cancels only a request that is
 * still open (pending or approved but not run).
 */
export class PendingRequest {
  id: string | null = null;
  status: string | null = null;
  /** The submission in flight: a stop during it waits for it, so a request the server created is cancelled too. */
  submission: Promise<unknown> | null = null;

  async cancel(client: GraphQLClient): Promise<string | null> {
    if (this.submission) await Promise.race([this.submission.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (!this.id || !this.status || !['PENDING_AI', 'PENDING_REVIEW', 'APPROVED'].includes(this.status)) return null;
    const id = this.id;
    const data = await retrying(
      () => client.request<{ cancelQueryRequest: ErrorResult & { data?: { id: string; status: string } } }>(CANCEL_QUERY_REQUEST, { id }),
      10_000,
    );
    return data.cancelQueryRequest.__typename.endsWith('Success') ? id : null;
  }
}

export async function runQuery(client: GraphQLClient, options: RunQueryOptions, pending = new PendingRequest()): Promise<RunQueryOutcome> {
  const log = options.log ?? (() => {});
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  const sql = await readSql(options);
  const datasource = await resolveDatasource(client, options);
  // Outside CI a random key still makes retries of this one submission safe.
  const clientRequestId = options.clientRequestId ?? `cli:${randomUUID()}`;
  const track = (state: RequestState) => {
    pending.id = state.id;
    pending.status = state.status;
  };

  // Submitting is idempotent by clientRequestId, so a submission lost to a network failure is simply repeated.
  // Not aborted by a stop: the stop waits for it and cancels what it created.
  const submission = retrying(
    async () => {
      const data = await client.request<{ submitQuery: ErrorResult & { data?: RequestState } }>(SUBMIT_QUERY, {
        input: { datasourceId: datasource.id, query: sql, justification: options.justification || undefined, clientRequestId, execute: options.execute },
      });
      const request = unwrap('submitQuery', data.submitQuery);
      track(request);
      return request;
    },
    Math.max(options.connectRetrySeconds * 1000, 0),
    options.signal,
    (error) => log(`${error.message}; retrying the submission`),
  );
  pending.submission = submission;
  const submitted = await submission;
  pending.submission = null;
  if (submitted.query !== sql || submitted.datasourceId !== datasource.id) {
    throw new CliError(
      `request key ${clientRequestId} already names request ${submitted.id} with a different statement or datasource; give this step its own request key`,
      EXIT.USAGE,
    );
  }
  log(`request ${submitted.id}: ${submitted.status}`);

  let state = submitted;
  let transport: RunQueryOutcome['transport'] = 'none';
  for (;;) {
    if (!isSettled(state)) {
      const waited = await waitForSettled({
        client,
        requestId: state.id,
        deadline,
        signal: options.signal,
        transports: options.transports,
        maxPollMs: options.maxPollMs,
        onStatus: (s) => {
          if (s.status !== pending.status) log(`request ${s.id}: ${s.status}`);
          track(s);
        },
        log,
      });
      state = waited.state;
      transport = waited.transport;
      track(state);
    }
    if (state.status !== 'APPROVED' || !options.execute) break;
    try {
      const data = await client.request<{ executeQueryRequest: ErrorResult & { data?: RequestState } }>(EXECUTE_QUERY_REQUEST, { id: state.id }, options.signal);
      const result = data.executeQueryRequest;
      if (result.__typename === 'Conflict') {
        // Someone (an earlier attempt of this job) got there first: wait for that run instead.
        state = { ...state, status: 'EXECUTING' };
        continue;
      }
      state = unwrap('executeQueryRequest', result);
      track(state);
    } catch (error) {
      if (!(error instanceof UnreachableError)) throw error;
      // The call may or may not have reached the server: read the state and go on from there.
      log(`${error.message}; reading the request's state again`);
      state = { ...state, status: 'EXECUTING' };
    }
  }
  return { ...describe(state, options.execute), request: state, datasource: { id: datasource.id, name: datasource.name }, clientRequestId, transport };
}

export function describe(state: RequestState, execute: boolean): { exitCode: ExitCode; message: string } {
  // A reviewer's comment, or else the reason a policy or a timeout gave.
  const comment = [...state.decisions].reverse().find((d) => d.decision !== 'APPROVE' && d.comment)?.comment ?? state.decisionReason;
  switch (state.status) {
    case 'EXECUTED':
      return { exitCode: EXIT.OK, message: `executed: ${hasRows(state) ? `${state.result!.rowCount} row(s)` : `${state.rowsAffected ?? 0} row(s) affected`}` };
    case 'APPROVED':
      return execute
        ? { exitCode: EXIT.TIMEOUT, message: `approved but scheduled for ${state.scheduledFor}` }
        : { exitCode: EXIT.OK, message: 'approved (not executed: execute is off)' };
    case 'REJECTED':
      return { exitCode: EXIT.DENIED, message: `rejected${comment ? `: ${comment}` : ''}` };
    case 'CHANGES_REQUESTED':
      return { exitCode: EXIT.DENIED, message: `changes requested${comment ? `: ${comment}` : ''}` };
    case 'CANCELLED':
      return { exitCode: EXIT.DENIED, message: 'cancelled' };
    case 'TIMED_OUT':
      return { exitCode: EXIT.TIMEOUT, message: `timed out waiting for review on the server${state.decisionReason ? ` (${state.decisionReason})` : ''}` };
    case 'FAILED':
      return { exitCode: EXIT.FAILED, message: `failed: ${state.error ?? 'no error message'}` };
    default:
      return { exitCode: EXIT.TIMEOUT, message: `still ${state.status}` };
  }
}

/** A read's result (a write's result has no columns). */
export function hasRows(state: RequestState): boolean {
  return Boolean(state.result && state.result.columns.length > 0);
}

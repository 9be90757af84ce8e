/**
 * The CLI's only way to AccessFlow: GraphQL over HTTP POST to `<endpoint>/graphql`, with the API key and the
 * `X-AccessFlow-CI` header on every call. Failures become `CliError`s with the right exit code; transport
 * failures become `UnreachableError` so callers can retry what is safe to retry.
 */
import { CliError, EXIT, UnreachableError } from './errors.ts';

export interface ClientOptions {
  /** Base URL, e.g. `https://accessflow.example.com` (a trailing `/graphql` is accepted too). */
  endpoint: string;
  apiKey: string;
  /** Sent as `X-AccessFlow-CI`: `true` marks requests from pipelines for routing policies. */
  ci: boolean;
  userAgent: string;
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export class GraphQLClient {
  readonly url: string;
  readonly headers: Record<string, string>;

  constructor(options: ClientOptions) {
    if (!options.endpoint) throw new CliError('no endpoint: set ACCESSFLOW_ENDPOINT or pass --endpoint', EXIT.USAGE);
    if (!options.apiKey) throw new CliError('no API key: set ACCESSFLOW_API_KEY or pass --api-key', EXIT.AUTH);
    let base: URL;
    try {
      base = new URL(options.endpoint);
    } catch {
      throw new CliError(`endpoint is not a URL: ${options.endpoint}`, EXIT.USAGE);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new CliError(`endpoint must be http(s): ${options.endpoint}`, EXIT.USAGE);
    this.url = `${base.origin}${base.pathname.replace(/\/+$/, '').replace(/\/graphql$/, '')}/graphql`;
    this.headers = {
      authorization: `Bearer ${options.apiKey}`,
      'x-accessflow-ci': options.ci ? 'true' : 'false',
      'user-agent': options.userAgent,
    };
  }

  /** The WebSocket URL of the same endpoint (graphql-ws). */
  get wsUrl(): string {
    return this.url.replace(/^http/, 'ws');
  }

  /** Runs one operation; returns `data` or throws a `CliError` that says what went wrong. */
  async request<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { ...this.headers, 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: JSON.stringify({ query, variables }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new UnreachableError(`cannot reach AccessFlow at ${this.url}: ${describeFetchError(error)}`);
    }
    if (response.status >= 500 || response.status === 429) {
      throw new UnreachableError(`AccessFlow at ${this.url} answered HTTP ${response.status}`);
    }
    let body: GraphQLResponse<T>;
    try {
      body = (await response.json()) as GraphQLResponse<T>;
    } catch {
      throw new UnreachableError(`AccessFlow at ${this.url} answered HTTP ${response.status} without a GraphQL response (is the endpoint right?)`);
    }
    const error = body.errors?.[0];
    if (error) {
      const code = error.extensions?.code ?? '';
      if (code === 'UNAUTHENTICATED' || response.status === 401) throw new CliError(`the API key was refused: ${error.message}`, EXIT.AUTH);
      if (code === 'FORBIDDEN' || response.status === 403) throw new CliError(`not allowed: ${error.message}`, EXIT.AUTH);
      // A server-side bug, not a transport hiccup: repeating the call would only repeat it.
      if (code === 'INTERNAL_SERVER_ERROR') throw new CliError(`AccessFlow failed: ${error.message}`, EXIT.UNREACHABLE);
      throw new CliError(`AccessFlow refused the call: ${error.message}`, EXIT.USAGE);
    }
    if (!body.data) throw new UnreachableError(`AccessFlow answered HTTP ${response.status} without data`);
    return body.data;
  }
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** A typed error member of a mutation result union (`... on Error { code message }`). */
export interface ErrorResult {
  __typename: string;
  code?: string;
  message?: string;
  reason?: string;
  kind?: string;
}

/** Unwraps a `Mutation<Name>Success { data }` or turns the error member into a `CliError`. */
export function unwrap<T>(operation: string, result: ErrorResult & { data?: T }): T {
  if (result.__typename.endsWith('Success')) return result.data as T;
  const message = `${operation}: ${result.__typename}: ${result.message ?? 'no message'}`;
  switch (result.__typename) {
    case 'Forbidden':
    case 'Unauthenticated':
      throw new CliError(message, EXIT.AUTH);
    case 'QueryRejected':
    case 'QuotaExceeded':
      throw new CliError(message, EXIT.DENIED);
    case 'ConnectionFailed':
      throw new CliError(message, EXIT.FAILED);
    case 'RateLimited':
      throw new UnreachableError(message);
    default:
      throw new CliError(message, EXIT.USAGE);
  }
}

/**
 * Calls `attempt` until it does not throw `UnreachableError`, backing off from 250 ms to 5 s, for at most
 * `budgetMs`. Only for calls that are safe to repeat.
 */
export async function retrying<T>(attempt: () => Promise<T>, budgetMs: number, signal?: AbortSignal, onRetry?: (error: UnreachableError) => void): Promise<T> {
  const until = Date.now() + budgetMs;
  let delay = 250;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof UnreachableError) || Date.now() + delay > until || signal?.aborted) throw error;
      onRetry?.(error);
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 5_000);
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

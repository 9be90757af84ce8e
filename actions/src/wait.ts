/**
 * Waits until a request needs nothing more from the server's side: follows `queryRequestUpdated` over
 * graphql-ws, falls back to the same subscription over server-sent events, then to polling with backoff.
 *
 * Every stream is opened first and the request read over HTTP after it, so a change between the two is not
 * lost; while streaming the state is also re-read on a slow backoff, as a safety net for an event missed while
 * the subscription registered. A dropped stream (the server restarting) is resumed with the same transport; a
 * transport the server or a proxy does not carry (HTTP works, the stream does not) is replaced by the next one.
 */
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws/client';
import { sleep, type GraphQLClient } from './client.ts';
import { CliError, EXIT, UnreachableError } from './errors.ts';
import { QUERY_REQUEST, QUERY_REQUEST_UPDATED, type RequestState } from './operations.ts';

export const TRANSPORTS = ['websocket', 'sse', 'polling'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** Statuses a waiting client keeps waiting on. APPROVED with a future `scheduledFor` waits too. */
const IN_FLIGHT = new Set(['PENDING_AI', 'PENDING_REVIEW', 'EXECUTING']);

export function isSettled(state: RequestState): boolean {
  if (IN_FLIGHT.has(state.status)) return false;
  return !(state.status === 'APPROVED' && state.scheduledFor && Date.parse(state.scheduledFor) > Date.now());
}

export interface WaitOptions {
  client: GraphQLClient;
  requestId: string;
  /** Epoch ms after which the wait gives up with EXIT.TIMEOUT. */
  deadline: number;
  signal: AbortSignal;
  /** Transports to try, in order (default: all three). */
  transports?: readonly Transport[];
  /** Longest pause between two polls, and between two safety-net reads while streaming. */
  maxPollMs?: number;
  onStatus?: (state: RequestState) => void;
  log?: (message: string) => void;
}

export interface WaitResult {
  state: RequestState;
  /** The transport that delivered the settled state. */
  transport: Transport;
}

/** Thrown when a stream could not be established although plain HTTP works: try the next transport. */
class TransportUnavailable extends Error {}

export async function waitForSettled(options: WaitOptions): Promise<WaitResult> {
  const transports = options.transports ?? TRANSPORTS;
  const log = options.log ?? (() => {});
  let level = 0;
  let downDelay = 250;
  for (;;) {
    const transport = transports[level]!;
    try {
      const state = transport === 'polling' ? await poll(options) : await follow(transport, options);
      return { state, transport };
    } catch (error) {
      if (options.signal.aborted) throw error;
      if (error instanceof TransportUnavailable && level < transports.length - 1) {
        log(`${transport} is not available (${error.message}); falling back to ${transports[level + 1]}`);
        level += 1;
        continue;
      }
      if (error instanceof TransportUnavailable) throw new UnreachableError(error.message);
      if (!(error instanceof UnreachableError)) throw error;
      if (Date.now() + downDelay > options.deadline) throw timeout(options, error.message);
      log(`${error.message}; retrying in ${downDelay} ms`);
      await sleep(downDelay, options.signal);
      downDelay = Math.min(downDelay * 2, 5_000);
    }
  }
}

function timeout(options: WaitOptions, lastProblem?: string): CliError {
  return new CliError(`timed out waiting for request ${options.requestId}${lastProblem ? ` (last problem: ${lastProblem})` : ''}`, EXIT.TIMEOUT);
}

async function read(options: WaitOptions): Promise<RequestState> {
  const data = await options.client.request<{ queryRequest: RequestState | null }>(QUERY_REQUEST, { id: options.requestId }, options.signal);
  if (!data.queryRequest) throw new CliError(`request ${options.requestId} not found`, EXIT.USAGE);
  options.onStatus?.(data.queryRequest);
  return data.queryRequest;
}

async function poll(options: WaitOptions): Promise<RequestState> {
  const maxPollMs = options.maxPollMs ?? 5_000;
  let delay = 250;
  for (;;) {
    const state = await read(options);
    if (isSettled(state)) return state;
    const left = options.deadline - Date.now();
    if (left <= 0) throw timeout(options);
    await sleep(Math.min(delay, left), options.signal);
    if (options.signal.aborted) throw new CliError('interrupted', EXIT.INTERRUPTED);
    delay = Math.min(delay * 2, maxPollMs);
  }
}

interface Stream {
  /** Resolves with each payload; ends when the stream ends; rejects when it fails. */
  events: AsyncIterable<RequestState>;
  /** Resolves once the stream is established on the server side. */
  connected: Promise<void>;
  close(): void;
}

function openStream(transport: 'websocket' | 'sse', options: WaitOptions): Stream {
  const { client } = options;
  let markConnected!: () => void;
  const connected = new Promise<void>((resolve) => (markConnected = resolve));
  const request = { query: QUERY_REQUEST_UPDATED, variables: { id: options.requestId } };
  if (transport === 'websocket') {
    const ws = createWsClient({
      url: client.wsUrl,
      connectionParams: { authorization: client.headers['authorization'], 'x-accessflow-ci': client.headers['x-accessflow-ci'] },
      lazy: true,
      retryAttempts: 0,
      on: { connected: () => markConnected() },
    });
    const iterator = ws.iterate<{ queryRequestUpdated: RequestState }>(request);
    return {
      events: payloads(iterator),
      connected,
      close: () => {
        void iterator.return?.();
        void ws.dispose();
      },
    };
  }
  const sse = createSseClient({ url: client.url, headers: client.headers, retryAttempts: 0 });
  const iterator = sse.iterate<{ queryRequestUpdated: RequestState }>(request, { connected: () => markConnected() });
  return {
    events: payloads(iterator),
    connected,
    close: () => {
      void iterator.return?.();
      sse.dispose();
    },
  };
}

async function* payloads(iterator: AsyncIterable<{ data?: { queryRequestUpdated: RequestState } | null; errors?: readonly { message: string }[] }>) {
  for await (const result of iterator) {
    if (result.errors?.length) throw new StreamError(result.errors.map((e) => e.message).join('; '));
    if (result.data?.queryRequestUpdated) yield result.data.queryRequestUpdated;
  }
}

/** The server answered on the stream with GraphQL errors (not a transport failure). */
class StreamError extends Error {}

async function follow(transport: 'websocket' | 'sse', options: WaitOptions): Promise<RequestState> {
  const stream = openStream(transport, options);
  let established = false;
  const stop = new AbortController();
  const abort = () => stop.abort();
  options.signal.addEventListener('abort', abort, { once: true });
  try {
    const settled = await new Promise<RequestState>((resolve, reject) => {
      const finish = (state: RequestState) => (isSettled(state) ? (resolve(state), true) : false);
      // Events as they come.
      void (async () => {
        try {
          for await (const state of stream.events) {
            options.onStatus?.(state);
            if (finish(state)) return;
          }
          reject(new UnreachableError(`the ${transport} stream ended`));
        } catch (error) {
          if (error instanceof StreamError) return reject(new CliError(`AccessFlow refused the subscription: ${error.message}`, EXIT.USAGE));
          reject(error);
        }
      })();
      // Once established: read the current state, then re-read it on a slow backoff (the safety net).
      void stream.connected.then(async () => {
        established = true;
        let delay = 1_000;
        try {
          while (!stop.signal.aborted) {
            if (finish(await read(options))) return;
            await sleep(Math.min(delay, Math.max(0, options.deadline - Date.now())), stop.signal);
            if (Date.now() >= options.deadline) return reject(timeout(options));
            delay = Math.min(delay * 2, Math.max(options.maxPollMs ?? 5_000, 30_000));
          }
        } catch (error) {
          reject(error);
        }
      });
      // Nothing at all before the deadline.
      const timer = setTimeout(() => reject(timeout(options)), Math.max(0, options.deadline - Date.now()));
      stop.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new CliError('interrupted', EXIT.INTERRUPTED));
      });
    });
    return settled;
  } catch (error) {
    if (error instanceof CliError) throw error;
    // The stream failed. If plain HTTP still works, this transport is the problem (unless it worked before).
    const message = error instanceof Error ? error.message : describeClose(error);
    await read(options); // throws UnreachableError when the server itself is down
    if (!established) throw new TransportUnavailable(message);
    throw new UnreachableError(`the ${transport} stream dropped: ${message}`);
  } finally {
    options.signal.removeEventListener('abort', abort);
    stop.abort();
    stream.close();
  }
}

function describeClose(event: unknown): string {
  const close = event as { code?: number; reason?: string };
  return close && typeof close.code === 'number' ? `closed with ${close.code}${close.reason ? ` ${close.reason}` : ''}` : String(event);
}

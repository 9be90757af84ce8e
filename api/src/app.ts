/**
 * buildApp: the whole server as a value — store, bus, services, GraphQL over HTTP, SSE and WebSocket on one
 * port. Tests drive `fetch` in-process; `start` opens the port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { createBus } from './bus/bus.ts';
import type { Config } from './config.ts';
import { createGraphQLServer, type ServerContext } from './graphql/yoga.ts';
import { loadKeys } from './keys.ts';
import { createLogger, type Logger } from './logger.ts';
import { createServices, type Services } from './services.ts';
import { JobRunner } from './modules/jobs/job-runner.ts';
import { DUE_TOPIC } from './modules/requests/query-request.service.ts';
import { AI_REVIEW_TOPIC } from './modules/ai/ai-risk.ts';
import { openStore } from './store/store.ts';
import { consoleHandler } from './web-console.ts';

export interface App {
  services: Services;
  /** The one-time setup token while the instance has no organization; null once set up. */
  setupToken: string | null;
  /** Handles one HTTP request in-process (no socket): GraphQL, SSE, /healthz, /readyz. */
  fetch(request: Request, context?: ServerContext): Promise<Response>;
  /** Opens the port; resolves to the URL it listens on. */
  start(): Promise<string>;
  stop(): Promise<void>;
}

export async function buildApp(config: Config, log: Logger = createLogger(config.logLevel)): Promise<App> {
  const keys = await loadKeys(config, log);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  const applied = await store.migrate();
  if (applied.length > 0) log.info({ migrations: applied }, `applied ${applied.length} store migration(s)`);
  const bus = await createBus(config.redisUrl);
  const services = createServices({ config, log, store, bus, keys });
  const setupToken = await services.orgs.armSetup(config.setupToken);
  const yoga = createGraphQLServer(services);
  const webConsole = consoleHandler();

  const fetch = async (request: Request, context: ServerContext = {}): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname === '/readyz') return readiness(services);
    const page = await webConsole(request);
    if (page) return page;
    const limited = await limitBody(request, config.limits.maxBodyBytes);
    return limited instanceof Response ? limited : yoga.fetch(limited, context);
  };

  let server: Server | undefined;
  let wss: WebSocketServer | undefined;
  const jobs = new JobRunner(log, [
    {
      name: DUE_REQUESTS_JOB,
      everyMs: config.jobsIntervalMs,
      run: async () => {
        const due = await services.queryRequests.processDue();
        if (due.started + due.timedOut > 0) log.info({ started: due.started, timedOut: due.timedOut }, 'processed due requests');
        return due;
      },
    },
    {
      name: 'access-expiry',
      everyMs: config.jobsIntervalMs,
      run: async () => {
        const due = await services.accessRequests.expireDue();
        if (due.expired > 0) log.info({ expired: due.expired }, 'ended just-in-time access past its time');
        return due;
      },
    },
    {
      name: AI_REVIEW_JOB,
      everyMs: config.jobsIntervalMs,
      run: async () => {
        const { reviewed } = await services.aiReviews.runPending();
        if (reviewed > 0) log.info({ reviewed }, 'AI-reviewed requests');
      },
    },
    {
      name: 'notifications',
      everyMs: config.jobsIntervalMs,
      run: async () => {
        const run = await services.notifications.runOnce();
        if (run.derived + run.delivered + run.failed > 0) log.info({ derived: run.derived, delivered: run.delivered, failed: run.failed }, 'notification deliveries');
        return run;
      },
    },
    {
      name: 'abandoned-runs',
      everyMs: ABANDONED_SWEEP_MS,
      run: async () => {
        const count = await services.queryRequests.recoverAbandoned();
        if (count > 0) log.warn({ count }, 'marked requests abandoned by a stopped server as FAILED');
      },
    },
  ]);
  let dueSignals: AsyncIterator<unknown> | undefined;
  let aiSignals: AsyncIterator<unknown> | undefined;

  return {
    services,
    setupToken,
    fetch,
    async start() {
      server = createServer((req, res) => void handleNode(req, res, fetch, log));
      wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: config.limits.maxBodyBytes });
      useServer(
        {
          execute: (args) => (args.rootValue as { execute: typeof import('graphql').execute }).execute(args),
          subscribe: (args) => (args.rootValue as { subscribe: typeof import('graphql').subscribe }).subscribe(args),
          onSubscribe: async (ctx, _id, params) => {
            const enveloped = yoga.getEnveloped({
              ...ctx,
              req: ctx.extra.request,
              socket: ctx.extra.socket,
              params,
              connectionParams: ctx.connectionParams,
              ipAddress: ctx.extra.request.socket.remoteAddress ?? null,
            });
            const document = enveloped.parse(params.query);
            const errors = enveloped.validate(enveloped.schema, document);
            if (errors.length > 0) return errors;
            return {
              schema: enveloped.schema,
              operationName: params.operationName,
              document,
              variableValues: params.variables,
              contextValue: await enveloped.contextFactory(),
              rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
            };
          },
        },
        wss,
      );
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(config.port, config.host, () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      // Console links in notifications point here unless PUBLIC_URL says otherwise.
      services.notifications.usePublicUrl(`http://${host}:${port}`);
      // The first sweep runs in the background: due runs must not hold up the port being served.
      void jobs.start();
      // Any replica that approves a scheduled request tells every replica to look at its due time.
      const signals = services.bus.subscribe(DUE_TOPIC)[Symbol.asyncIterator]();
      dueSignals = signals;
      void (async () => {
        while (!(await signals.next()).done) jobs.wake(DUE_REQUESTS_JOB);
      })().catch((error: unknown) => log.error({ err: error }, 'the due-work signal stopped; sweeps continue on their interval'));
      // A submission that waits for its AI review wakes the AI review job of every replica (one of them claims it).
      const aiSignal = services.bus.subscribe(AI_REVIEW_TOPIC)[Symbol.asyncIterator]();
      aiSignals = aiSignal;
      void (async () => {
        while (!(await aiSignal.next()).done) jobs.wake(AI_REVIEW_JOB);
      })().catch((error: unknown) => log.error({ err: error }, 'the AI review signal stopped; sweeps continue on their interval'));
      return `http://${host}:${port}`;
    },
    async stop() {
      await jobs.stop();
      await dueSignals?.return?.();
      await aiSignals?.return?.();
      for (const client of wss?.clients ?? []) client.terminate();
      await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
      await new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await bus.close();
      await store.close();
    },
  };
}

/** How often a running server looks for requests left EXECUTING by a server that stopped. */
const ABANDONED_SWEEP_MS = 60_000;
const DUE_REQUESTS_JOB = 'due-requests';
const AI_REVIEW_JOB = 'ai-review';

async function readiness(services: Services): Promise<Response> {
  try {
    await services.store.system((em) => em.execute('select 1'));
    return Response.json({ status: 'ready', store: services.store.kind, bus: services.bus.kind });
  } catch (error) {
    services.log.warn({ err: error }, 'readiness check failed');
    return Response.json({ status: 'unavailable' }, { status: 503 });
  }
}

/**
 * Reads the body once, up to `limit` bytes: a 413 response when it is larger (by header, or by counting a
 * body sent without one), else the request with its body buffered.
 */
async function limitBody(request: Request, limit: number): Promise<Request | Response> {
  if (!request.body) return request;
  const tooLarge = () =>
    Response.json(
      { errors: [{ message: `request body is larger than ${limit} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] },
      { status: 413 },
    );
  if (Number(request.headers.get('content-length') ?? 0) > limit) return tooLarge();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      void reader.cancel();
      return tooLarge();
    }
    chunks.push(value);
  }
  return new Request(request, { body: Buffer.concat(chunks), duplex: 'half' } as RequestInit);
}

/** Node's http request → the app's fetch → a streamed response (SSE included). */
async function handleNode(
  req: IncomingMessage,
  res: ServerResponse,
  fetch: App['fetch'],
  log: Logger,
): Promise<void> {
  try {
    const url = `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(url, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null,
      duplex: 'half',
    } as RequestInit);
    const response = await fetch(request, { ipAddress: req.socket.remoteAddress ?? null });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    // Written chunk by chunk, so server-sent events reach the client as they happen.
    const reader = response.body.getReader();
    res.on('close', () => void reader.cancel().catch(() => {}));
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      res.write(value);
    }
    res.end();
  } catch (error) {
    log.error({ err: error }, 'failed to handle an HTTP request');
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
  }
}

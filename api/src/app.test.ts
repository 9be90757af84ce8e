/**
 * The server over real sockets: health probes, and live subscriptions over graphql-ws and SSE, within one
 * replica (in-process bus) and across two replicas sharing PostgreSQL and Redis.
 */
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestApp, ok, setupFirstOrg, type Org, type TestApp } from '../test/harness.ts';
import { buildApp, type App } from './app.ts';
import { createLogger } from './logger.ts';

const SUBSCRIPTION = 'subscription { auditEventAppended { action targetType } }';
const CREATE_GROUP = 'mutation($name: String!) { upsertUserGroup(input: { name: $name }) { __typename } }';

function wsClient(baseUrl: string, authorization: string): Client {
  return createClient({
    url: `${baseUrl.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization },
    retryAttempts: 0,
  });
}

/** Waits for the first event whose action matches, triggering `trigger` until it comes (a subscription starts asynchronously). */
async function firstEvent<T>(events: AsyncIterator<T>, trigger: () => Promise<unknown>, matches: (event: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  let pending = events.next();
  while (Date.now() < deadline) {
    await trigger();
    const result = await Promise.race([pending, new Promise<null>((resolve) => setTimeout(() => resolve(null), 200))]);
    if (result === null) continue;
    if (result.done) throw new Error('subscription ended');
    if (matches(result.value)) return result.value;
    pending = events.next();
  }
  throw new Error('no matching event within 10 s');
}

async function* sse(url: string, authorization: string, query: string): AsyncGenerator<Record<string, unknown>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization },
    body: JSON.stringify({ query }),
  });
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').find((line) => line.startsWith('data:'));
        if (data && data.length > 6) yield JSON.parse(data.slice(5)) as Record<string, unknown>;
      }
    }
  } finally {
    await reader.cancel();
  }
}

describe('one replica', () => {
  let t: TestApp;
  let org: Org;
  let url: string;
  beforeAll(async () => {
    t = await createTestApp();
    url = await t.app.start();
    org = await setupFirstOrg(t);
  });
  afterAll(() => t.close());

  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', store: 'postgresql', bus: 'in-process' });
  });

  it('streams audit events over graphql-ws', async () => {
    const client = wsClient(url, org.admin.authorization);
    const events = client.iterate<{ auditEventAppended: { action: string; targetType: string } }>({ query: SUBSCRIPTION });
    let n = 0;
    const event = await firstEvent(events, () => t.gql(CREATE_GROUP, { name: `ws-${n++}` }, org.admin), () => true);
    expect(event.data?.auditEventAppended).toEqual({ action: 'USER_GROUP_CREATED', targetType: 'UserGroup' });
    await events.return?.();
    await client.dispose();
  });

  it('refuses a graphql-ws subscription without credentials', async () => {
    const client = wsClient(url, '');
    const events = client.iterate({ query: SUBSCRIPTION });
    const result = await events.next();
    expect(JSON.stringify(result.value)).toMatch(/UNAUTHENTICATED/);
    await client.dispose();
  });

  it('streams audit events over SSE', async () => {
    const events = sse(url, org.admin.authorization, SUBSCRIPTION);
    let n = 0;
    const event = await firstEvent(events, () => t.gql(CREATE_GROUP, { name: `sse-${n++}` }, org.admin), () => true);
    expect(event).toEqual({ data: { auditEventAppended: { action: 'USER_GROUP_CREATED', targetType: 'UserGroup' } } });
    await events.return(undefined);
  });
});

describe('two replicas on one PostgreSQL and Redis', () => {
  let t: TestApp;
  let second: App;
  let org: Org;
  let secondUrl: string;
  beforeAll(async () => {
    t = await createTestApp({ redis: true });
    second = await buildApp(t.config, createLogger('silent'));
    secondUrl = await second.start();
    org = await setupFirstOrg(t);
  });
  afterAll(async () => {
    await second.stop();
    await t.close();
  });

  it('delivers an event committed on one replica to a subscriber on the other', async () => {
    const client = wsClient(secondUrl, org.admin.authorization);
    const events = client.iterate<{ auditEventAppended: { action: string } }>({ query: SUBSCRIPTION });
    let n = 0;
    const event = await firstEvent(events, () => t.gql(CREATE_GROUP, { name: `replica-${n++}` }, org.admin), () => true);
    expect(event.data?.auditEventAppended.action).toBe('USER_GROUP_CREATED');
    await events.return?.();
    await client.dispose();
    const ready = (await (await fetch(`${secondUrl}/readyz`)).json()) as { bus: string };
    expect(ready.bus).toBe('redis');
    ok(await t.gql('{ me { id } }', undefined, org.admin));
  });
});

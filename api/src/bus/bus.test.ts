import { inject, describe, expect, it } from 'vitest';
import { createInProcessBus, createRedisBus, type Bus, type JsonPayload } from './bus.ts';

/** Resolves with the first `count` payloads of `topic`, publishing `publish()` until they arrive. */
async function receive(subscriber: Bus, topic: string, count: number, publish: () => Promise<void>, waitMs = 5_000): Promise<JsonPayload[]> {
  const received: JsonPayload[] = [];
  const iterator = subscriber.subscribe(topic)[Symbol.asyncIterator]();
  const collecting = (async () => {
    while (received.length < count) {
      const next = await iterator.next();
      if (next.done) break;
      received.push(next.value);
    }
  })();
  // A Redis subscription becomes active a moment after subscribe(); publish until it is heard.
  const deadline = Date.now() + waitMs;
  while (received.length === 0 && Date.now() < deadline) {
    await publish();
    await Promise.race([collecting, new Promise((resolve) => setTimeout(resolve, 50))]);
  }
  await Promise.race([collecting, new Promise((resolve) => setTimeout(resolve, 500))]);
  await iterator.return?.();
  return received;
}

describe('in-process bus', () => {
  it('delivers JSON payloads to subscribers of the topic only', async () => {
    const bus = createInProcessBus();
    const other: JsonPayload[] = [];
    const otherIterator = bus.subscribe('other')[Symbol.asyncIterator]();
    void otherIterator.next().then((r) => r.value && other.push(r.value));
    const got = await receive(bus, 'topic', 1, () => bus.publish('topic', { id: 'a', at: new Date(0) as unknown as string }));
    expect(got[0]).toEqual({ id: 'a', at: '1970-01-01T00:00:00.000Z' });
    expect(other).toEqual([]);
    await otherIterator.return?.();
    await bus.close();
  });
});

describe('Redis bus', () => {
  it('carries events between two replicas', async () => {
    const [replicaA, replicaB] = await Promise.all([createRedisBus(inject('redisUrl')), createRedisBus(inject('redisUrl'))]);
    try {
      const got = await receive(replicaB, 'audit:org-1', 1, () => replicaA.publish('audit:org-1', { id: 'from-a' }));
      expect(got[0]).toEqual({ id: 'from-a' });
      const none = await receive(replicaB, 'audit:org-2', 1, async () => replicaA.publish('audit:org-3', { id: 'elsewhere' }), 1_000);
      expect(none).toEqual([]);
    } finally {
      await Promise.all([replicaA.close(), replicaB.close()]);
    }
  });
});

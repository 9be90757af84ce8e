/**
 * The event bus behind subscriptions: in-process for one replica, Redis (REDIS_URL) when several replicas
 * must see each other's events. Payloads are JSON on both, so what works on one works on the other;
 * they carry ids and states, and subscribers re-read what they show.
 */
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';

export type JsonPayload = Record<string, unknown>;

export interface Bus {
  readonly kind: 'in-process' | 'redis';
  publish(topic: string, payload: JsonPayload): Promise<void>;
  subscribe(topic: string): AsyncIterable<JsonPayload>;
  close(): Promise<void>;
}

export async function createBus(redisUrl: string | undefined): Promise<Bus> {
  return redisUrl ? createRedisBus(redisUrl) : createInProcessBus();
}

export function createInProcessBus(): Bus {
  const pubsub = createPubSub<Record<string, [JsonPayload]>>();
  return {
    kind: 'in-process',
    publish: async (topic, payload) => pubsub.publish(topic, JSON.parse(JSON.stringify(payload)) as JsonPayload),
    subscribe: (topic) => pubsub.subscribe(topic),
    close: async () => {},
  };
}

/**
 * Redis pub/sub as an EventTarget for yoga's pubsub: one connection publishes, one subscribes; a channel is
 * subscribed while at least one local listener wants it.
 */
export async function createRedisBus(url: string): Promise<Bus> {
  const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const subscriber = new Redis(url, { lazyConnect: true });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  const listeners = new Map<string, Set<EventListenerOrEventListenerObject>>();

  subscriber.on('message', (channel: string, message: string) => {
    const event = new CustomEvent(channel, { detail: JSON.parse(message) as JsonPayload });
    for (const listener of listeners.get(channel) ?? []) {
      if (typeof listener === 'function') listener(event);
      else listener.handleEvent(event);
    }
  });

  const eventTarget = {
    addEventListener(type: string, listener: EventListenerOrEventListenerObject | null) {
      if (!listener) return;
      const set = listeners.get(type) ?? new Set();
      if (set.size === 0) void subscriber.subscribe(type);
      set.add(listener);
      listeners.set(type, set);
    },
    removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null) {
      const set = listeners.get(type);
      if (!set || !listener) return;
      set.delete(listener);
      if (set.size === 0) {
        listeners.delete(type);
        void subscriber.unsubscribe(type);
      }
    },
    dispatchEvent(event: Event) {
      void publisher.publish(event.type, JSON.stringify((event as CustomEvent<JsonPayload>).detail));
      return true;
    },
  };
  const pubsub = createPubSub<Record<string, [JsonPayload]>>({ eventTarget });

  return {
    kind: 'redis',
    publish: async (topic, payload) => {
      await publisher.publish(topic, JSON.stringify(payload));
    },
    subscribe: (topic) => pubsub.subscribe(topic),
    close: async () => {
      await Promise.all([publisher.quit(), subscriber.quit()]);
    },
  };
}

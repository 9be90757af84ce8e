/**
 * The urql client: queries and mutations over HTTP POST, subscriptions over graphql-ws on the same /graphql
 * endpoint. Every operation carries the session's access token.
 */
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import type { Client as LiveSocket } from 'graphql-ws';
import { RefreshSessionDocument } from './graphql/session.documents.ts';
import { accessToken, setTokens, type Tokens } from './session.ts';

const endpoint = `${location.origin}/graphql`;

// Refreshing needs a client that does not itself wait for a token.
const anonymous = new Client({ url: endpoint, exchanges: [fetchExchange], preferGetMethod: false });

async function refresh(refreshToken: string): Promise<Tokens | null> {
  const result = await anonymous.mutation(RefreshSessionDocument, { refreshToken }).toPromise();
  const payload = result.data?.refreshSession;
  return payload?.__typename === 'MutationRefreshSessionSuccess' ? payload.data : null;
}

const authorization = async () => {
  const token = await accessToken(refresh);
  return token ? `Bearer ${token}` : null;
};

// graphql-ws is fetched with the first subscription, so pages without live data (the editor, most admin pages)
// do not load it.
let socket: Promise<LiveSocket> | undefined;
const liveSocket = () =>
  (socket ??= import('graphql-ws').then(({ createClient }) =>
    createClient({
      url: endpoint.replace(/^http/, 'ws'),
      lazy: true,
      retryAttempts: Infinity,
      connectionParams: async () => {
        const value = await authorization();
        return value ? { authorization: value } : {};
      },
    }),
  ));

/** Drops the socket so the next subscription connects with the current session. */
export function reconnectSubscriptions(): void {
  void socket?.then((ws) => ws.terminate());
}

export const client = new Client({
  url: endpoint,
  preferGetMethod: false,
  requestPolicy: 'cache-and-network',
  exchanges: [
    cacheExchange,
    fetchExchange,
    subscriptionExchange({
      forwardSubscription(request) {
        const input = { ...request, query: request.query ?? '' };
        return {
          subscribe(sink) {
            let unsubscribe: (() => void) | undefined;
            let closed = false;
            liveSocket().then(
              (ws) => {
                if (!closed) unsubscribe = ws.subscribe(input, sink);
              },
              (error: unknown) => sink.error(error),
            );
            return {
              unsubscribe() {
                closed = true;
                unsubscribe?.();
              },
            };
          },
        };
      },
    }),
  ],
  fetch: async (input, init) => {
    const headers = new Headers(init?.headers);
    const value = await authorization();
    if (value) headers.set('authorization', value);
    const response = await fetch(input, { ...init, headers });
    // A session that ended elsewhere (signed out, deactivated): back to sign-in rather than broken pages.
    if (value && response.headers.get('content-type')?.includes('json')) {
      const body = (await response.clone().json()) as { errors?: { extensions?: { code?: string } }[] };
      if (body.errors?.some((error) => error.extensions?.code === 'UNAUTHENTICATED')) setTokens(null);
    }
    return response;
  },
});

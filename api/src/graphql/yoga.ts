/**
 * graphql-yoga over the schema: authentication into the context, query limits, and error masking that keeps
 * typed errors and replaces anything unexpected with an id to find the log line.
 */
import { randomUUID } from 'node:crypto';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { DomainError } from '../errors.ts';
import type { Services } from '../services.ts';
import type { Origin, RequestContext } from './context.ts';
import { getSchema } from './schema.ts';
import { useVariablePageCost } from './use-variable-page-cost.ts';

/** What the transport knows about a call besides the GraphQL request itself. */
export interface ServerContext {
  ipAddress?: string | null;
  /** graphql-ws: the client's connection parameters (there is no HTTP request per operation). */
  connectionParams?: Record<string, unknown> | undefined;
}

const CI_HEADER_VALUES = new Set(['true', '1', 'yes', 'ci', 'cicd']);

export type Yoga = YogaServerInstance<ServerContext, RequestContext>;

export function createGraphQLServer(services: Services): Yoga {
  const { limits } = services.config;
  return createYoga<ServerContext, RequestContext>({
    schema: getSchema(),
    graphqlEndpoint: '/graphql',
    // GraphiQL would load its scripts from a CDN; the console (web/) is the browser client.
    graphiql: false,
    landingPage: false,
    healthCheckEndpoint: '/healthz',
    logging: {
      debug: (...args) => services.log.debug({ args }, 'yoga'),
      info: (...args) => services.log.info({ args }, 'yoga'),
      warn: (...args) => services.log.warn({ args }, 'yoga'),
      error: (...args) => services.log.error({ args }, 'yoga'),
    },
    plugins: [
      maxTokensPlugin({ n: limits.maxTokens }),
      maxDepthPlugin({ n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true }),
      maxAliasesPlugin({ n: limits.maxAliases }),
      costLimitPlugin({ maxCost: limits.maxCost, ignoreIntrospection: true }),
      useVariablePageCost({ maxCost: limits.maxCost }),
    ],
    maskedErrors: {
      maskError: (error) => {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (!original || original instanceof GraphQLError) return error as Error;
        const errorId = randomUUID();
        services.log.error({ err: original, errorId }, 'unexpected error while resolving a request');
        return new GraphQLError(`internal error; reference ${errorId} in the server log`, {
          extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
        });
      },
    },
    context: async ({ request, connectionParams, ipAddress }) => {
      const authorization =
        request?.headers.get('authorization') ?? stringParam(connectionParams, 'authorization') ?? null;
      const actor = await services.auth.authenticate(authorization).catch((error: unknown) => {
        // Credentials that do not check out end the request here, before any field runs.
        if (error instanceof DomainError) throw withHttpStatus(error);
        throw error;
      });
      const ciHeader = request?.headers.get('x-accessflow-ci') ?? stringParam(connectionParams, 'x-accessflow-ci');
      const origin: Origin = {
        ipAddress: ipAddress ?? null,
        userAgent: request?.headers.get('user-agent')?.slice(0, 500) ?? null,
        ci: actor?.via === 'API_KEY' || CI_HEADER_VALUES.has((ciHeader ?? '').trim().toLowerCase()),
      };
      return { actor, origin, services };
    },
  });
}

function stringParam(params: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = params?.[name] ?? params?.[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}

function withHttpStatus(error: DomainError): GraphQLError {
  const status = error.code === 'UNAUTHENTICATED' ? 401 : 403;
  return new GraphQLError(error.message, { extensions: { code: error.code, http: { status } } });
}

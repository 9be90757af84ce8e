/**
 * The provider's only way to the server: the public GraphQL API over keep-alive connections (node:http(s); fetch
 * would load undici in every provider process, and its streams cost more per call). Reads by id are batched:
 * every `<x>(id)` asked for within a few milliseconds (Terraform refreshes up to ten resources in parallel) goes
 * out as one document with one alias per object. A refresh of more objects of one type than one batch holds
 * reads the type's list instead (pages of 100), so 200 resources cost a few requests, not twenty.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import DataLoader from 'dataloader';

export interface FieldIssue {
  path: string;
  message: string;
}

/** A typed error result of a mutation (ValidationError, Conflict, NotFound, …) or a GraphQL error. */
export class ApiError extends Error {
  readonly code: string;
  readonly typename: string;
  readonly issues: FieldIssue[];

  constructor(typename: string, code: string, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.typename = typename;
    this.code = code;
    this.issues = issues;
  }
}

export type Node = Record<string, unknown>;

/** Reads of one type beyond this many in one process switch to the type's list (one batch's worth by id first). */
const LIST_AFTER_READS = 10;
/** The server's largest page, and how many pages a list may take before reading by id is cheaper again. */
const PAGE_SIZE = 100;
const MAX_PAGES = 10;

interface ListedType {
  reads: number;
  /** Every object of the type by id, or null when the list could not be read whole (then reads go by id). */
  objects: Promise<Map<string, Node> | null> | null;
}

interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

export class GraphQLClient {
  private readonly url: string;
  private readonly authorization: string;
  private readonly send: (options: RequestOptions, onResponse: (response: IncomingMessage) => void) => ReturnType<typeof httpRequest>;
  private readonly reads: DataLoader<{ query: string; selection: string; id: string }, Node | null, string>;
  private readonly listed = new Map<string, ListedType>();

  constructor(endpoint: string, apiKey: string) {
    const base = endpoint.replace(/\/+$/, '');
    this.url = base.endsWith('/graphql') ? base : `${base}/graphql`;
    this.authorization = `Bearer ${apiKey}`;
    const target = new URL(this.url);
    const secure = target.protocol === 'https:';
    const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    const defaults = { protocol: target.protocol, hostname: target.hostname.replace(/^\[|\]$/g, ''), port: target.port, path: `${target.pathname}${target.search}`, method: 'POST', agent };
    this.send = (options, onResponse) => (secure ? httpsRequest : httpRequest)({ ...defaults, ...options }, onResponse);
    this.reads = new DataLoader((keys) => this.readBatch(keys), {
      cacheKeyFn: (key) => `${key.query}:${key.id}`,
      cache: false,
      maxBatchSize: 100,
      batchScheduleFn: (callback) => setTimeout(callback, 5),
    });
  }

  async request(query: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    let response: { status: number; text: string };
    try {
      response = await this.post(JSON.stringify({ query, variables }));
    } catch (error) {
      throw new ApiError('Transport', 'UNREACHABLE', `cannot reach ${this.url}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const body = parseBody(response.text);
    if (!body) throw new ApiError('Transport', `HTTP_${response.status}`, `${this.url} answered HTTP ${response.status} without a GraphQL body`);
    const first = body.errors?.[0];
    if (first) throw new ApiError('GraphQLError', first.extensions?.code ?? 'GRAPHQL_ERROR', first.message);
    return body.data ?? {};
  }

  private post(body: string, retried = false): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const headers = {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        accept: 'application/graphql-response+json, application/json',
        authorization: this.authorization,
      };
      const request = this.send({ headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        // The server closed an idle keep-alive connection as this request went out on it: nothing was processed.
        if (!retried && request.reusedSocket && error.code === 'ECONNRESET') resolve(this.post(body, true));
        else reject(error);
      });
      request.end(body);
    });
  }

  /** One object by id, or null when it does not exist (batched with concurrent reads). */
  read(query: string, selection: string, id: string): Promise<Node | null> {
    return this.reads.load({ query, selection, id });
  }

  /**
   * A refresh read: by id for the first reads of a type, then from the type's `list` read once (a snapshot as of
   * this refresh; any write through this client drops it). An id missing from the list is read by id, so a
   * deleted object is still confirmed by its own query.
   */
  async refresh(query: string, list: string | null, selection: string, id: string): Promise<Node | null> {
    if (list === null) return this.read(query, selection, id);
    const listed = this.listed.get(list) ?? { reads: 0, objects: null };
    this.listed.set(list, listed);
    listed.reads += 1;
    if (listed.reads <= LIST_AFTER_READS) return this.read(query, selection, id);
    listed.objects ??= this.listAll(list, selection);
    return (await listed.objects)?.get(id) ?? this.read(query, selection, id);
  }

  private async listAll(list: string, selection: string): Promise<Map<string, Node> | null> {
    const document = `query List($after: String) { page: ${list}(first: ${PAGE_SIZE}, after: $after) { edges { node { ${selection} } } pageInfo { hasNextPage endCursor } } }`;
    const objects = new Map<string, Node>();
    let after: string | null = null;
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const data = await this.request(document, { after });
        const connection = data['page'] as { edges: { node: Node }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
        for (const { node } of connection.edges) objects.set(String(node['id']), node);
        if (!connection.pageInfo.hasNextPage) return objects;
        after = connection.pageInfo.endCursor;
      }
    } catch {
      // A list the server refuses (cost limits, permissions) only means reading by id.
    }
    return null;
  }

  private async readBatch(keys: readonly { query: string; selection: string; id: string }[]): Promise<(Node | null | Error)[]> {
    const variables: Record<string, string> = {};
    const fields = keys.map((key, i) => {
      variables[`id${i}`] = key.id;
      return `r${i}: ${key.query}(id: $id${i}) { ${key.selection} }`;
    });
    const document = `query Refresh(${keys.map((_, i) => `$id${i}: ID!`).join(', ')}) { ${fields.join(' ')} }`;
    try {
      const data = await this.request(document, variables);
      return keys.map((_, i) => (data[`r${i}`] as Node | null | undefined) ?? null);
    } catch (error) {
      return keys.map(() => (error instanceof Error ? error : new Error(String(error))));
    }
  }

  /** Runs a mutation whose result is the errors-plugin union; returns `data` of the Success member. */
  async mutate(field: string, argument: string, selection: string, variables: Record<string, unknown>): Promise<unknown> {
    this.listed.clear();
    const document = `mutation Run(${argument}) { result: ${field}(${Object.keys(variables).map((name) => `${name}: $${name}`).join(', ')}) {
      __typename
      ... on Error { code message }
      ... on ValidationError { issues { path message } }
      ... on Mutation${field.charAt(0).toUpperCase()}${field.slice(1)}Success { data${selection ? ` { ${selection} }` : ''} }
    } }`;
    const data = await this.request(document, variables);
    const result = data['result'] as { __typename: string; data?: unknown; code?: string; message?: string; issues?: FieldIssue[] };
    if (result.__typename.endsWith('Success')) return result.data;
    throw new ApiError(result.__typename, result.code ?? result.__typename, result.message ?? result.__typename, result.issues ?? []);
  }
}

function parseBody(text: string): GraphQLResponse | null {
  try {
    return JSON.parse(text) as GraphQLResponse;
  } catch {
    return null;
  }
}

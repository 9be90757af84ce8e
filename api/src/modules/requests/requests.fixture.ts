/** Test helpers for governed queries: typed calls of the workflow mutations through the public API. */
import { ok, type Caller, type TestApp } from '../../../test/harness.ts';

export const REQUEST_FIELDS =
  'id status queryType readOnly tables riskLevel riskScore error rowsAffected result { columns { name } rows rowCount truncated } decisions { decision stage }';

export interface Request {
  id: string;
  status: string;
  queryType: string;
  readOnly: boolean;
  tables: string[];
  riskLevel: string;
  error: string | null;
  rowsAffected: number | null;
  result: { columns: { name: string }[]; rows: unknown[][]; rowCount: number; truncated: boolean } | null;
  decisions: { decision: string; stage: number }[];
}

export interface Result<T> {
  __typename: string;
  data?: T;
  message?: string;
  reason?: string;
  code?: string;
}

/** Fields of a PostgreSQL datasource on a database of the harness's cluster (trust authentication), plus `fields`. */
export function postgresDatasource(targetUrl: string, fields: Record<string, unknown>): Record<string, unknown> {
  const url = new URL(targetUrl);
  return { dbType: 'POSTGRESQL', host: url.hostname, port: Number(url.port), databaseName: url.pathname.slice(1), username: 'postgres', password: 'unused-with-trust', ...fields };
}

export function workflow(t: TestApp, datasourceId: () => string) {
  const mutate = async <T>(field: string, query: string, variables: Record<string, unknown>, caller: Caller): Promise<Result<T>> =>
    ok(await t.gql<Record<string, Result<T>>>(query, variables, caller))[field]!;
  // Only submit and execute classify the statement, so only their results can be QueryRejected.
  const withRequest = (field: string, signature: string, args: string, variables: Record<string, unknown>, caller: Caller) =>
    mutate<Request>(
      field,
      `mutation(${signature}) { ${field}(${args}) { __typename
        ... on ${`Mutation${field[0]!.toUpperCase()}${field.slice(1)}Success`} { data { ${REQUEST_FIELDS} } }
        ... on Error { code message } ${field === 'submitQuery' || field === 'executeQueryRequest' ? '... on QueryRejected { reason }' : ''} } }`,
      variables,
      caller,
    );
  return {
    mutate,
    /** upsertDatasource, returning the id; throws with the error member otherwise. */
    createDatasource: async (input: Record<string, unknown>, caller: Caller): Promise<string> => {
      const result = await mutate<{ id: string }>('upsertDatasource',
        `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { message } } }`,
        { input }, caller);
      if (!result.data) throw new Error(`upsertDatasource: ${result.__typename} ${result.message ?? ''}`);
      return result.data.id;
    },
    submit: (query: string, caller: Caller, extra: Record<string, unknown> = {}) =>
      withRequest('submitQuery', '$input: SubmitQueryInput!', 'input: $input', { input: { datasourceId: datasourceId(), query, justification: 'test', ...extra } }, caller),
    decide: (requestId: string, decision: string, caller: Caller, comment?: string) =>
      withRequest('decideQueryRequest', '$input: DecideQueryRequestInput!', 'input: $input', { input: { requestId, decision, comment } }, caller),
    execute: (id: string, caller: Caller) => withRequest('executeQueryRequest', '$id: ID!', 'id: $id', { id }, caller),
    cancel: (id: string, caller: Caller) => withRequest('cancelQueryRequest', '$id: ID!', 'id: $id', { id }, caller),
  };
}

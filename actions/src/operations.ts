/**
 * Every GraphQL operation the CLI and the actions send. `test/operations.test.ts` validates each one against
 * the committed `schema/schema.graphql`, so a breaking server change fails the build here.
 */

const REQUEST_STATE = `fragment RequestState on QueryRequest {
  id status clientRequestId cicdOrigin datasourceId query queryType riskLevel riskScore
  rowsAffected error scheduledFor decisionReason
  decisions { decision comment stage }
  result { columns { name type } rows rowCount truncated }
}`;

const ERROR_FIELDS = `... on Error { code message } ... on QueryRejected { reason }`;

export const SUBMIT_QUERY = `mutation AccessflowSubmitQuery($input: SubmitQueryInput!) {
  submitQuery(input: $input) {
    __typename
    ... on MutationSubmitQuerySuccess { data { ...RequestState } }
    ${ERROR_FIELDS}
  }
}
${REQUEST_STATE}`;

export const EXECUTE_QUERY_REQUEST = `mutation AccessflowExecuteQueryRequest($id: ID!) {
  executeQueryRequest(id: $id) {
    __typename
    ... on MutationExecuteQueryRequestSuccess { data { ...RequestState } }
    ${ERROR_FIELDS}
  }
}
${REQUEST_STATE}`;

export const CANCEL_QUERY_REQUEST = `mutation AccessflowCancelQueryRequest($id: ID!) {
  cancelQueryRequest(id: $id) {
    __typename
    ... on MutationCancelQueryRequestSuccess { data { id status } }
    ... on Error { code message }
  }
}`;

export const QUERY_REQUEST = `query AccessflowQueryRequest($id: ID!) {
  queryRequest(id: $id) { ...RequestState }
}
${REQUEST_STATE}`;

export const QUERY_REQUEST_UPDATED = `subscription AccessflowQueryRequestUpdated($id: ID!) {
  queryRequestUpdated(id: $id) { ...RequestState }
}
${REQUEST_STATE}`;

export const DATASOURCE_BY_NAME = `query AccessflowDatasourceByName($name: String!) {
  datasourceByName(name: $name) { id name dbType }
}`;

export const DATASOURCE_BY_ID = `query AccessflowDatasource($id: ID!) {
  datasource(id: $id) { id name dbType }
}`;

export const UPSERT_DATASOURCE = `mutation AccessflowUpsertDatasource($input: UpsertDatasourceInput!) {
  upsertDatasource(input: $input) {
    __typename
    ... on MutationUpsertDatasourceSuccess { data { id name dbType host port databaseName } }
    ... on Error { code message }
    ... on ConnectionFailed { kind }
  }
}`;

export const TEST_DATASOURCE_CONNECTION = `mutation AccessflowTestDatasourceConnection($id: ID!) {
  testDatasourceConnection(id: $id) {
    __typename
    ... on MutationTestDatasourceConnectionSuccess { data { ok error serverVersion } }
    ... on Error { code message }
  }
}`;

export type QueryStatus =
  | 'PENDING_AI'
  | 'PENDING_REVIEW'
  | 'APPROVED'
  | 'EXECUTING'
  | 'EXECUTED'
  | 'FAILED'
  | 'REJECTED'
  | 'CHANGES_REQUESTED'
  | 'CANCELLED'
  | 'TIMED_OUT';

/** What the CLI reads back about a request (the `RequestState` fragment). */
export interface RequestState {
  id: string;
  status: QueryStatus;
  clientRequestId: string | null;
  cicdOrigin: boolean;
  datasourceId: string;
  query: string;
  queryType: string;
  riskLevel: string | null;
  riskScore: number | null;
  rowsAffected: number | null;
  error: string | null;
  scheduledFor: string | null;
  /** Why it went where it went without a person deciding (a routing policy's reason, a timeout). */
  decisionReason: string | null;
  decisions: { decision: 'APPROVE' | 'REJECT' | 'REQUEST_CHANGES'; comment: string | null; stage: number }[];
  result: { columns: { name: string; type: string }[]; rows: unknown[][]; rowCount: number; truncated: boolean } | null;
}

export const ANALYZE_SQL = `query AccessflowAnalyzeSql($input: AnalyzeSqlInput!) {
  analyzeSql(input: $input) {
    __typename
    ... on QueryAnalyzeSqlSuccess {
      data {
        statements {
          startLine endLine text queryType readOnly tables hasWhere hasLimit
          riskScore riskLevel riskIssues { code severity message suggestion }
          rejected rejectionReason message allowed deniedReason
        }
      }
    }
    ... on Error { code message }
  }
}`;

/** One statement of a script as `analyzeSql` judges it. */
export interface AnalyzedStatement {
  startLine: number;
  endLine: number;
  text: string;
  queryType: string | null;
  readOnly: boolean | null;
  tables: string[];
  hasWhere: boolean | null;
  hasLimit: boolean | null;
  riskScore: number | null;
  riskLevel: string | null;
  riskIssues: { code: string; severity: string; message: string; suggestion: string | null }[];
  rejected: boolean;
  rejectionReason: string | null;
  message: string | null;
  allowed: boolean;
  deniedReason: string | null;
}

export const SIMULATE_ROUTING = `query AccessflowSimulateRouting($input: SimulateRoutingInput!) {
  simulateRouting(input: $input) {
    __typename
    ... on QuerySimulateRoutingSuccess { data { refusal decision { action verdict policyName reason requiredApprovals } } }
    ... on Error { code message }
  }
}`;

/** What routing policies would decide for one statement (null decision: the review plan decides). */
export interface RoutingOutcome {
  refusal: string | null;
  decision: { action: string; verdict: 'APPROVE' | 'REJECT' | 'REVIEW'; policyName: string; reason: string; requiredApprovals: number | null } | null;
}

/** Every document above, for the validation test. */
export const ALL_OPERATIONS = {
  SUBMIT_QUERY,
  EXECUTE_QUERY_REQUEST,
  CANCEL_QUERY_REQUEST,
  QUERY_REQUEST,
  QUERY_REQUEST_UPDATED,
  DATASOURCE_BY_NAME,
  DATASOURCE_BY_ID,
  UPSERT_DATASOURCE,
  TEST_DATASOURCE_CONNECTION,
  ANALYZE_SQL,
  SIMULATE_ROUTING,
};

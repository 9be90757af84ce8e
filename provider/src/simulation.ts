/**
 * `data "accessflow_routing_simulation"`: a plan-time check. It asks the server's `simulateRouting` what a
 * statement would trigger (classification, risk, the deciding routing policy) without submitting anything, so
 * a plan can show — and a `check` or `precondition` can assert — how a pipeline's queries will be governed.
 */
import { ApiError, type GraphQLClient } from './graphql-client.ts';
import type { TfObject } from './protocol/dynamic-value.ts';
import type { AttributeSpec } from './spec.ts';

export const SIMULATION_TYPE = 'accessflow_routing_simulation';

const attribute = (name: string, type: AttributeSpec['type'], flags: Partial<AttributeSpec>, description: string): AttributeSpec => ({
  name,
  field: null,
  input: null,
  type,
  required: false,
  optional: false,
  computed: true,
  sensitive: false,
  writeOnly: false,
  nullable: true,
  replace: false,
  triggers: null,
  version: null,
  description,
  ...flags,
});
const input = { required: true, computed: false };
const optionalInput = { optional: true, computed: false };

export const SIMULATION_ATTRIBUTES: AttributeSpec[] = [
  attribute('datasource_id', { kind: 'string' }, input, 'The datasource the statement would run on.'),
  attribute('query', { kind: 'string' }, input, 'The SQL statement to simulate; nothing is submitted or run.'),
  attribute('as_user_id', { kind: 'string' }, optionalInput, 'Simulate a submission by this user (needs POLICIES_MANAGE); the provider’s own identity by default.'),
  attribute('cicd_origin', { kind: 'bool' }, optionalInput, 'Simulate a submission from CI.'),
  attribute('query_type', { kind: 'string' }, {}, 'SELECT, INSERT, UPDATE, DELETE or DDL.'),
  attribute('read_only', { kind: 'bool' }, {}, 'Proven read-only by the parser.'),
  attribute('tables', { kind: 'list', element: { kind: 'string' } }, {}, 'Tables the statement touches (schema.table).'),
  attribute('risk_level', { kind: 'string' }, {}, 'LOW, MEDIUM, HIGH or CRITICAL.'),
  attribute('risk_score', { kind: 'number' }, {}, '0–100.'),
  attribute('refusal', { kind: 'string' }, {}, 'Why submitQuery would refuse the statement before routing (role or grants); null when admitted.'),
  attribute('policy_name', { kind: 'string' }, {}, 'The deciding routing policy; null when none applies and the review plan decides.'),
  attribute('action', { kind: 'string' }, {}, 'The deciding policy’s action (AUTO_APPROVE, AUTO_REJECT, REQUIRE_APPROVALS, ESCALATE).'),
  attribute('verdict', { kind: 'string' }, {}, 'What would happen to the request.'),
  attribute('required_approvals', { kind: 'number' }, {}, 'Approvals each stage would need, when the decision sets it.'),
];

interface Simulation {
  queryType: string;
  readOnly: boolean;
  tables: string[];
  riskLevel: string;
  riskScore: number;
  refusal: string | null;
  decision: { policyName: string; action: string; verdict: string; requiredApprovals: number | null } | null;
}

export async function readSimulation(client: GraphQLClient, config: TfObject): Promise<TfObject> {
  const data = await client.request(
    `query Simulate($input: SimulateRoutingInput!) { result: simulateRouting(input: $input) {
      __typename
      ... on Error { code message }
      ... on QuerySimulateRoutingSuccess { data { queryType readOnly tables riskLevel riskScore refusal decision { policyName action verdict requiredApprovals } } }
    } }`,
    {
      input: {
        datasourceId: config['datasource_id'],
        query: config['query'],
        ...(config['as_user_id'] !== null ? { asUserId: config['as_user_id'] } : {}),
        ...(config['cicd_origin'] !== null ? { cicdOrigin: config['cicd_origin'] } : {}),
      },
    },
  );
  const result = data['result'] as { __typename: string; code?: string; message?: string; data?: Simulation };
  if (!result.data) throw new ApiError(result.__typename, result.code ?? result.__typename, result.message ?? result.__typename);
  const simulation = result.data;
  return {
    datasource_id: config['datasource_id'] ?? null,
    query: config['query'] ?? null,
    as_user_id: config['as_user_id'] ?? null,
    cicd_origin: config['cicd_origin'] ?? null,
    query_type: simulation.queryType,
    read_only: simulation.readOnly,
    tables: simulation.tables,
    risk_level: simulation.riskLevel,
    risk_score: simulation.riskScore,
    refusal: simulation.refusal,
    policy_name: simulation.decision?.policyName ?? null,
    action: simulation.decision?.action ?? null,
    verdict: simulation.decision?.verdict ?? null,
    required_approvals: simulation.decision?.requiredApprovals ?? null,
  };
}

/** GraphQL for routing policies and the routing simulator. */
import { z } from 'zod';
import { builder, naturalKey, requires } from '../../graphql/builder.ts';
import { actorOf, offsetPage } from '../../graphql/helpers.ts';
import { ConnectionFailedError } from '../../errors.ts';
import { QueryRejectedError } from '../requests/classify.ts';
import type { RiskIssue } from '../risk/rule-analyzer.ts';
import { unmatchedGlobs } from './condition.ts';
import { ROUTING_ACTIONS, type PolicyEvaluation, type RoutingDecision } from './evaluate.ts';
import type { RoutingPolicy } from './routing-policy.entity.ts';
import type { RoutingSimulation } from './routing-policy.service.ts';

export const RoutingPolicyRef = builder.objectRef<RoutingPolicy>('RoutingPolicy');

export function defineRoutingPolicySchema(): void {
  const ActionEnum = builder.enumType('RoutingAction', {
    values: ROUTING_ACTIONS,
    description: 'AUTO_APPROVE skips human review; AUTO_REJECT ends the request; REQUIRE_APPROVALS sets the approvals per stage; ESCALATE adds requiredApprovals to the plan minimum.',
  });
  const VerdictEnum = builder.enumType('RoutingVerdict', { values: ['APPROVE', 'REJECT', 'REVIEW'] as const });
  const TruthEnum = builder.enumType('RoutingTruth', {
    values: ['TRUE', 'FALSE', 'UNKNOWN'] as const,
    description: 'UNKNOWN: a fact the condition needs is missing for this request (see docs/routing.md, fail closed).',
  });

  RoutingPolicyRef.implement({
    description: 'An automatic routing rule: the first enabled policy, by ascending priority, whose condition holds decides.',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      description: t.exposeString('description', { nullable: true }),
      datasourceId: t.exposeID('datasourceId', { nullable: true, description: 'null: every datasource of the organization.' }),
      priority: t.exposeInt('priority', { description: 'Unique in the organization; lower runs first.' }),
      enabled: t.exposeBoolean('enabled'),
      condition: t.field({ type: 'JSON', description: "The seed product's type-discriminated tree, normalised.", resolve: (p) => p.condition }),
      timeZone: t.exposeString('timeZone', { description: 'IANA zone of the time_of_day and day_of_week leaves.' }),
      action: t.expose('action', { type: ActionEnum }),
      requiredApprovals: t.exposeInt('requiredApprovals', { nullable: true }),
      reason: t.exposeString('reason', { nullable: true }),
      unmatchedGlobs: t.stringList({
        nullable: true,
        description:
          "A warning, not an error: the referenced_table globs that match no table of the scoped datasource's schema as the explorer reads it " +
          '(cached up to 10 minutes). Null for an organization-wide policy, or when the schema cannot be read completely.',
        resolve: async (policy, _args, ctx) => {
          if (!policy.datasourceId) return null;
          try {
            const view = await ctx.services.explorer.schema(actorOf(ctx), policy.datasourceId, null);
            if (!view || view.truncated) return null;
            return unmatchedGlobs(policy.condition, view.schemas.flatMap((s) => s.tables));
          } catch (error) {
            if (error instanceof ConnectionFailedError) return null;
            throw error;
          }
        },
      }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    }),
  });

  const UpsertRoutingPolicyInput = builder.inputType('UpsertRoutingPolicyInput', {
    description: 'Authoritative for the name: omitted fields take their defaults.',
    fields: (t) => ({
      name: t.string({ required: true, description: 'Natural key within the organization.', validate: z.string().min(1).max(200), ...naturalKey }),
      description: t.string({ validate: z.string().max(2000) }),
      datasourceId: t.id({ validate: z.uuid(), description: 'Leave out for an organization-wide policy.' }),
      priority: t.int({ required: true, validate: z.number().int().min(0).max(1_000_000) }),
      enabled: t.boolean(),
      condition: t.field({ type: 'JSON', required: true, description: 'and{children} · or{children} · not{child} · query_type{any_of} · referenced_table{globs} · risk_level{any_of} · risk_score{operator,value} · requester_role{any_of} · requester_group{group_ids} · time_of_day{start_minute_of_day,end_minute_of_day} · day_of_week{any_of} · has_where/has_limit/transactional/cicd_origin{expected}' }),
      timeZone: t.string({ description: 'IANA time zone; UTC by default.', validate: z.string().max(100) }),
      action: t.field({ type: ActionEnum, required: true }),
      requiredApprovals: t.int({ description: 'REQUIRE_APPROVALS: required (1–10). ESCALATE: the delta, 1 by default. Others: leave out.' }),
      reason: t.string({ validate: z.string().max(1000) }),
    }),
  });

  const ReorderRoutingPoliciesInput = builder.inputType('ReorderRoutingPoliciesInput', {
    fields: (t) => ({
      ids: t.idList({ required: true, description: 'Every routing policy of the organization, in the new evaluation order.', validate: z.array(z.uuid()).max(1000) }),
    }),
  });

  const SimulateRoutingInput = builder.inputType('SimulateRoutingInput', {
    fields: (t) => ({
      datasourceId: t.id({ required: true, validate: z.uuid() }),
      query: t.string({ required: true, validate: z.string().min(1).max(100_000, 'must be at most 100000 characters') }),
      asUserId: t.id({ validate: z.uuid(), description: 'Simulate a submission by this user (needs POLICIES_MANAGE); yourself by default.' }),
      at: t.field({ type: 'DateTime', description: 'Simulate at this time (time-of-day and day-of-week leaves); now by default.' }),
      cicdOrigin: t.boolean({ description: 'Whether the submission comes from CI; your own request origin by default.' }),
    }),
  });

  const TraceRef = builder.simpleObject('RoutingConditionTrace', {
    description: "One node of a policy's condition with its outcome; `tree` holds the nested nodes as JSON.",
    fields: (t) => ({ result: t.field({ type: TruthEnum }), detail: t.string(), tree: t.field({ type: 'JSON' }) }),
  });

  const EvaluationRef = builder.objectRef<PolicyEvaluation>('RoutingPolicyEvaluation').implement({
    fields: (t) => ({
      policyId: t.exposeID('policyId'),
      policyName: t.exposeString('policyName'),
      priority: t.exposeInt('priority'),
      result: t.expose('result', { type: TruthEnum }),
      trace: t.field({ type: TraceRef, resolve: (e) => ({ result: e.trace.result, detail: e.trace.detail, tree: e.trace }) }),
    }),
  });

  const DecisionRef = builder.objectRef<RoutingDecision>('RoutingDecision').implement({
    description: 'What the workflow does with the request because of the deciding policy.',
    fields: (t) => ({
      policyId: t.exposeID('policyId'),
      policyName: t.exposeString('policyName'),
      priority: t.exposeInt('priority'),
      action: t.expose('action', { type: ActionEnum }),
      verdict: t.expose('verdict', { type: VerdictEnum }),
      requiredApprovals: t.exposeInt('requiredApprovals', { nullable: true, description: 'For REVIEW: approvals each stage needs.' }),
      reason: t.exposeString('reason'),
      conditionResult: t.expose('conditionResult', { type: TruthEnum, description: 'UNKNOWN: decided on a missing fact, the stricter way.' }),
    }),
  });

  const RiskIssueSimulatedRef = builder.objectRef<RiskIssue>('RoutingRiskIssue').implement({
    fields: (t) => ({ code: t.exposeString('code'), severity: t.exposeString('severity'), message: t.exposeString('message') }),
  });

  const SimulationRef = builder.objectRef<RoutingSimulation>('RoutingSimulation').implement({
    description: 'What routing would decide for a submission, and the facts it used; nothing was submitted.',
    fields: (t) => ({
      decision: t.field({ type: DecisionRef, nullable: true, description: 'null: no policy applies; the review plan decides.', resolve: (s) => s.decision }),
      evaluations: t.field({ type: [EvaluationRef], description: 'Policies evaluated, in order, up to the deciding one.', resolve: (s) => s.evaluations }),
      refusal: t.exposeString('refusal', { nullable: true, description: 'Why submitQuery would refuse this before routing (role or grants).' }),
      queryType: t.string({ resolve: (s) => s.classification.type }),
      tables: t.stringList({ description: 'schema.table, the schema resolved.', resolve: (s) => (s.facts.tables ?? []).map((r) => `${r.schema}.${r.name}`) }),
      hasWhere: t.boolean({ resolve: (s) => s.classification.hasWhere }),
      hasLimit: t.boolean({ resolve: (s) => s.classification.hasLimit }),
      transactional: t.boolean({ resolve: (s) => s.classification.transactional }),
      readOnly: t.boolean({ resolve: (s) => s.classification.readOnly }),
      riskLevel: t.string({ resolve: (s) => s.risk.level }),
      riskScore: t.int({ resolve: (s) => s.risk.score }),
      riskIssues: t.field({ type: [RiskIssueSimulatedRef], resolve: (s) => s.risk.issues }),
      requesterRole: t.string({ nullable: true, resolve: (s) => s.facts.requesterRole }),
      requesterGroupIds: t.idList({ resolve: (s) => [...(s.facts.requesterGroupIds ?? [])] }),
      cicdOrigin: t.boolean({ nullable: true, resolve: (s) => s.facts.cicdOrigin }),
      at: t.field({ type: 'DateTime', resolve: (s) => s.facts.now }),
    }),
  });

  builder.queryFields((t) => ({
    routingPolicy: t.loadable({
      type: RoutingPolicyRef,
      nullable: true,
      ...requires('POLICIES_MANAGE'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      load: (ids: string[], ctx) => ctx.services.routingPolicies.getMany(actorOf(ctx), ids),
      sort: (found) => found.id,
      resolve: (_root, args) => String(args.id),
    }),
    routingPolicies: t.connection({
      type: RoutingPolicyRef,
      description: 'In evaluation order (ascending priority).',
      ...requires('POLICIES_MANAGE'),
      args: { datasourceId: t.arg.id({ validate: z.uuid(), description: "Only the policies that apply to it (its own and the organization's)." }) },
      resolve: (_root, args, ctx) =>
        offsetPage(args, (offset, limit) => ctx.services.routingPolicies.list(actorOf(ctx), args.datasourceId ? String(args.datasourceId) : null, offset, limit)),
    }),
    simulateRouting: t.field({
      type: SimulationRef,
      description: 'Which routing policy would decide this statement and why (each leaf), with the classification and risk used; submits nothing.',
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: { types: [QueryRejectedError] },
      args: { input: t.arg({ type: SimulateRoutingInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.routingPolicies.simulate(actorOf(ctx), ctx.origin, {
          ...input,
          datasourceId: String(input.datasourceId),
          asUserId: input.asUserId ? String(input.asUserId) : null,
        }),
    }),
  }));

  builder.mutationFields((t) => ({
    upsertRoutingPolicy: t.field({
      type: RoutingPolicyRef,
      ...requires('POLICIES_MANAGE'),
      errors: {},
      args: { input: t.arg({ type: UpsertRoutingPolicyInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.routingPolicies.upsert(actorOf(ctx), ctx.origin, { ...input, condition: input.condition, datasourceId: input.datasourceId ? String(input.datasourceId) : null }),
    }),
    deleteRoutingPolicy: t.id({
      ...requires('POLICIES_MANAGE'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.routingPolicies.delete(actorOf(ctx), ctx.origin, String(args.id)),
    }),
    reorderRoutingPolicies: t.field({
      type: [RoutingPolicyRef],
      ...requires('POLICIES_MANAGE'),
      errors: {},
      args: { input: t.arg({ type: ReorderRoutingPoliciesInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.routingPolicies.reorder(actorOf(ctx), ctx.origin, input.ids.map(String)),
    }),
  }));
}

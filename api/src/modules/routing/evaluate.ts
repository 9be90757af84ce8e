/**
 * The routing evaluator (FEATURES C5), pure: the enabled policies in scope, by ascending priority, and the facts
 * of one request in, the decision and the reasoning out. No store, no clock: `facts.now` is the time.
 *
 * Fail closed. A leaf whose fact is missing (null: no risk score because analysis was skipped, say) is UNKNOWN,
 * and the tree is evaluated in three-valued (Kleene) logic, so `not` of an unknown stays unknown instead of
 * turning a missing fact into a match. A policy whose condition is UNKNOWN:
 * - AUTO_APPROVE: does not match; evaluation goes on to the next policy (an unknown never grants).
 * - AUTO_REJECT: stops evaluation and holds the request for human review at the plan's minimum. It is not
 *   rejected on a guess, and it cannot fall through to a later policy that would approve what it might block.
 * - ESCALATE: applies (more approvals is the closed direction).
 * - REQUIRE_APPROVALS: applies, but never below the plan's minimum (its absolute count could be a relaxation).
 */
import type { QueryType } from '../../engines/sql/classification.ts';
import type { Role } from '../identity/permissions.ts';
import type { RiskLevel } from '../review/review-plan.entity.ts';
import { DAYS_OF_WEEK, tableMatcher, type Condition, type DayOfWeek, type Leaf } from './condition.ts';

export const ROUTING_ACTIONS = ['AUTO_APPROVE', 'AUTO_REJECT', 'REQUIRE_APPROVALS', 'ESCALATE'] as const;
export type RoutingAction = (typeof ROUTING_ACTIONS)[number];

/** What one request looks like to routing. `null` = not known for this request; leaves that need it are UNKNOWN. */
export interface RoutingFacts {
  datasourceId: string;
  queryType: QueryType | null;
  /** Every referenced table, the schema resolved (an unqualified name in the datasource's default schema). */
  tables: readonly { schema: string; name: string }[] | null;
  riskLevel: RiskLevel | null;
  riskScore: number | null;
  requesterRole: Role | null;
  requesterGroupIds: readonly string[] | null;
  hasWhere: boolean | null;
  hasLimit: boolean | null;
  transactional: boolean | null;
  /** Submitted with `X-AccessFlow-CI` or an API key. */
  cicdOrigin: boolean | null;
  /** The minimum approvals per stage of the datasource's review plan, the base of ESCALATE. */
  planMinApprovals: number;
  now: Date;
}

/** The parts of a policy the evaluator reads. */
export interface EvaluatedPolicy {
  id: string;
  name: string;
  priority: number;
  enabled: boolean;
  /** null or absent: every datasource. */
  datasourceId?: string | null;
  condition: Condition;
  timeZone: string;
  action: RoutingAction;
  requiredApprovals?: number | null;
  reason?: string | null;
}

export type Truth = 'TRUE' | 'FALSE' | 'UNKNOWN';

/** The condition tree with each node's outcome and, for leaves, the fact it compared. */
export interface TraceNode {
  type: Condition['type'];
  result: Truth;
  detail: string;
  children?: TraceNode[];
}

export interface PolicyEvaluation {
  policyId: string;
  policyName: string;
  priority: number;
  result: Truth;
  trace: TraceNode;
}

/** What the request workflow must do; `action` is the policy's configured action, for the audit record. */
export interface RoutingDecision {
  policyId: string;
  policyName: string;
  priority: number;
  action: RoutingAction;
  /** APPROVE (no human review), REJECT (end the request with `reason`), REVIEW (human review, `requiredApprovals` per stage). */
  verdict: 'APPROVE' | 'REJECT' | 'REVIEW';
  /** For REVIEW: the approvals each stage needs, replacing the plan's minimum. Null otherwise. */
  requiredApprovals: number | null;
  /** The policy's reason, or one written here; always names the policy. */
  reason: string;
  /** UNKNOWN when the decision was taken because a fact was missing (fail closed), else TRUE. */
  conditionResult: Exclude<Truth, 'FALSE'>;
}

export interface RoutingOutcome {
  decision: RoutingDecision | null;
  /** The policies evaluated, in order, up to and including the deciding one. */
  evaluations: PolicyEvaluation[];
}

/** First enabled policy in scope, by ascending priority, whose condition holds (see the fail-closed rules above). */
export function route(policies: readonly EvaluatedPolicy[], facts: RoutingFacts): RoutingOutcome {
  const ordered = policies
    .filter((p) => p.enabled && (!p.datasourceId || p.datasourceId === facts.datasourceId))
    .sort((a, b) => a.priority - b.priority);
  const evaluations: PolicyEvaluation[] = [];
  for (const policy of ordered) {
    const trace = evaluate(policy.condition, facts, policy.timeZone);
    evaluations.push({ policyId: policy.id, policyName: policy.name, priority: policy.priority, result: trace.result, trace });
    if (trace.result === 'FALSE') continue;
    if (trace.result === 'UNKNOWN' && policy.action === 'AUTO_APPROVE') continue;
    return { decision: decisionOf(policy, trace.result, facts), evaluations };
  }
  return { decision: null, evaluations };
}

function decisionOf(policy: EvaluatedPolicy, result: 'TRUE' | 'UNKNOWN', facts: RoutingFacts): RoutingDecision {
  const base = { policyId: policy.id, policyName: policy.name, priority: policy.priority, action: policy.action, conditionResult: result };
  const own = policy.reason ? `: ${policy.reason}` : '';
  const named = `routing policy "${policy.name}" (${policy.action})`;
  const unknown = result === 'UNKNOWN' ? ' — a fact it needs is missing, so it applies as the stricter choice' : '';
  switch (policy.action) {
    case 'AUTO_APPROVE':
      return { ...base, verdict: 'APPROVE', requiredApprovals: null, reason: `${named}${own}` };
    case 'AUTO_REJECT':
      return result === 'TRUE'
        ? { ...base, verdict: 'REJECT', requiredApprovals: null, reason: `${named}${own}` }
        : {
            ...base,
            verdict: 'REVIEW',
            requiredApprovals: facts.planMinApprovals,
            reason: `${named} could not be decided (a fact it needs is missing); held for human review${own}`,
          };
    case 'REQUIRE_APPROVALS': {
      const required = policy.requiredApprovals ?? facts.planMinApprovals;
      return {
        ...base,
        verdict: 'REVIEW',
        requiredApprovals: result === 'TRUE' ? required : Math.max(required, facts.planMinApprovals),
        reason: `${named}${unknown}${own}`,
      };
    }
    case 'ESCALATE':
      return { ...base, verdict: 'REVIEW', requiredApprovals: facts.planMinApprovals + (policy.requiredApprovals ?? 1), reason: `${named}${unknown}${own}` };
  }
}

/** Evaluates a condition tree over the facts in three-valued logic, keeping every node's outcome. */
export function evaluate(condition: Condition, facts: RoutingFacts, timeZone: string): TraceNode {
  switch (condition.type) {
    case 'and':
    case 'or': {
      const children = condition.children.map((c) => evaluate(c, facts, timeZone));
      const results = children.map((c) => c.result);
      const [dominant, other] = condition.type === 'and' ? (['FALSE', 'TRUE'] as const) : (['TRUE', 'FALSE'] as const);
      const result: Truth = results.includes(dominant) ? dominant : results.includes('UNKNOWN') ? 'UNKNOWN' : other;
      return { type: condition.type, result, detail: `${condition.type === 'and' ? 'all' : 'any'} of ${children.length}`, children };
    }
    case 'not': {
      const child = evaluate(condition.child, facts, timeZone);
      const result: Truth = child.result === 'UNKNOWN' ? 'UNKNOWN' : child.result === 'TRUE' ? 'FALSE' : 'TRUE';
      return { type: 'not', result, detail: 'not', children: [child] };
    }
    default:
      return leaf(condition, facts, timeZone);
  }
}

const truth = (value: boolean): Truth => (value ? 'TRUE' : 'FALSE');
const missing = (type: Leaf['type'], what: string): TraceNode => ({ type, result: 'UNKNOWN', detail: `${what} is not known for this request` });

function leaf(condition: Leaf, facts: RoutingFacts, timeZone: string): TraceNode {
  const node = (result: boolean, detail: string): TraceNode => ({ type: condition.type, result: truth(result), detail });
  switch (condition.type) {
    case 'query_type':
      if (facts.queryType === null) return missing(condition.type, 'the query type');
      return node((condition.any_of as string[]).includes(facts.queryType), `query type ${facts.queryType} in [${condition.any_of.join(', ')}]`);
    case 'referenced_table': {
      if (facts.tables === null) return missing(condition.type, 'the referenced tables');
      const matchers = condition.globs.map(tableMatcher);
      const hits = facts.tables.filter((t) => matchers.some((m) => m(t))).map((t) => `${t.schema}.${t.name}`);
      return node(hits.length > 0, hits.length > 0 ? `${hits.join(', ')} match [${condition.globs.join(', ')}]` : `no referenced table matches [${condition.globs.join(', ')}]`);
    }
    case 'risk_level':
      if (facts.riskLevel === null) return missing(condition.type, 'the risk level');
      return node((condition.any_of as string[]).includes(facts.riskLevel), `risk level ${facts.riskLevel} in [${condition.any_of.join(', ')}]`);
    case 'risk_score': {
      if (facts.riskScore === null) return missing(condition.type, 'the risk score');
      const score = facts.riskScore;
      const value = condition.value;
      const holds = { LT: score < value, LTE: score <= value, GT: score > value, GTE: score >= value, EQ: score === value }[condition.operator];
      return node(holds, `risk score ${score} ${condition.operator} ${value}`);
    }
    case 'requester_role':
      if (facts.requesterRole === null) return missing(condition.type, "the requester's role");
      return node((condition.any_of as string[]).includes(facts.requesterRole), `role ${facts.requesterRole} in [${condition.any_of.join(', ')}]`);
    case 'requester_group': {
      if (facts.requesterGroupIds === null) return missing(condition.type, "the requester's groups");
      const shared = condition.group_ids.filter((id) => facts.requesterGroupIds!.includes(id));
      return node(shared.length > 0, shared.length > 0 ? `member of ${shared.join(', ')}` : `member of none of [${condition.group_ids.join(', ')}]`);
    }
    case 'time_of_day': {
      const { minute } = localClock(facts.now, timeZone);
      const { start_minute_of_day: start, end_minute_of_day: end } = condition;
      const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
      return node(inside, `${hhmm(minute)} ${timeZone} in [${hhmm(start)}, ${hhmm(end)})${start > end ? ' (wraps midnight)' : ''}`);
    }
    case 'day_of_week': {
      const { day } = localClock(facts.now, timeZone);
      return node(condition.any_of.includes(day), `${day} (${timeZone}) in [${condition.any_of.join(', ')}]`);
    }
    case 'has_where':
    case 'has_limit':
    case 'transactional':
    case 'cicd_origin': {
      const fact = { has_where: facts.hasWhere, has_limit: facts.hasLimit, transactional: facts.transactional, cicd_origin: facts.cicdOrigin }[condition.type];
      if (fact === null) return missing(condition.type, condition.type.replace('_', ' '));
      return node(fact === condition.expected, `${condition.type} is ${fact}, expected ${condition.expected}`);
    }
  }
}

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

const clocks = new Map<string, Intl.DateTimeFormat>();

/**
 * The wall-clock minute of the day and the weekday at `now` in `timeZone`. Derived from the instant through the
 * zone's rules, so DST changes are followed: a skipped hour never occurs, a repeated hour occurs twice.
 */
export function localClock(now: Date, timeZone: string): { minute: number; day: DayOfWeek } {
  // One request asks for the same instant in the same zone for every time leaf of every policy.
  const last = lastReading.get(timeZone);
  if (last && last.at === now.getTime()) return last.clock;
  let format = clocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', weekday: 'long' });
    clocks.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((p) => [p.type, p.value]));
  const day = String(parts['weekday']).toUpperCase() as DayOfWeek;
  if (!DAYS_OF_WEEK.includes(day)) throw new Error(`unexpected weekday ${parts['weekday']}`);
  const clock = { minute: Number(parts['hour']) * 60 + Number(parts['minute']), day };
  lastReading.set(timeZone, { at: now.getTime(), clock });
  return clock;
}

const lastReading = new Map<string, { at: number; clock: { minute: number; day: DayOfWeek } }>();

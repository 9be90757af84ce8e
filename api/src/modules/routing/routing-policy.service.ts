/**
 * Routing policies (FEATURES C5): upsert by name, delete, reorder, `decide` for the request workflow and
 * `simulate` for clients that want the answer without submitting (plan-time checks in Terraform and CI).
 */
import { z } from 'zod';
import type { Classification } from '../../engines/sql/classification.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import { flushOrConflict, type EntityManager } from '../../store/store.ts';
import { auditOriginOf } from '../audit/audit.service.ts';
import { AuditedService } from '../audit/audited-service.ts';
import type { ClassificationTagService } from '../classification/classification-tag.service.ts';
import { DatasourceEntity, type Datasource } from '../datasources/datasource.entity.ts';
import type { DatasourceService } from '../datasources/datasource.service.ts';
import type { GrantService } from '../grants/grant.service.ts';
import { groupIdsOf } from '../groups/memberships.ts';
import { UserGroupEntity } from '../groups/user-group.entity.ts';
import { roleHas, type Role } from '../identity/permissions.ts';
import { UserEntity } from '../identity/user.entity.ts';
import { accessOf, assertAllowed, assertRoleMay, defaultSchemaOf } from '../requests/admission.ts';
import { classify } from '../requests/classify.ts';
import { analyzeRisk } from '../requests/risk.ts';
import { reviewPlanOf } from '../review/approvers.ts';
import type { RiskAnalysis } from '../risk/rule-analyzer.ts';
import { groupIdsIn, parseCondition, parseTimeZone } from './condition.ts';
import { route, ROUTING_ACTIONS, type RoutingAction, type RoutingFacts, type RoutingOutcome } from './evaluate.ts';
import { RoutingPolicyEntity, type RoutingPolicy } from './routing-policy.entity.ts';

export interface UpsertRoutingPolicyInput {
  name: string;
  description?: string | null;
  datasourceId?: string | null;
  priority: number;
  enabled?: boolean | null;
  /** The seed's JSON tree (see condition.ts). */
  condition: unknown;
  timeZone?: string | null;
  action: RoutingAction;
  requiredApprovals?: number | null;
  reason?: string | null;
}

export interface SimulateRoutingInput {
  datasourceId: string;
  query: string;
  /** Whose submission to simulate; the caller by default. Someone else needs POLICIES_MANAGE. */
  asUserId?: string | null;
  /** When to simulate (time-of-day and day-of-week leaves); now by default. */
  at?: Date | null;
  /** Whether the submission comes from CI; the caller's own origin by default. */
  cicdOrigin?: boolean | null;
}

export interface RoutingSimulation extends RoutingOutcome {
  datasource: Datasource;
  classification: Classification;
  risk: RiskAnalysis;
  facts: RoutingFacts;
  /** Why submit would refuse this statement for this user before routing (role or grants), or null. */
  refusal: string | null;
}

const MAX_APPROVALS = 10;

const upsertSchema = z
  .object({
    name: z.string().trim().min(1, 'required').max(200),
    description: z.string().max(2000).nullish(),
    datasourceId: z.uuid().nullish(),
    priority: z.number().int().min(0).max(1_000_000),
    enabled: z.boolean().nullish(),
    timeZone: z.string().max(100).nullish(),
    action: z.enum(ROUTING_ACTIONS),
    requiredApprovals: z.number().int().min(1).max(MAX_APPROVALS).nullish(),
    reason: z.string().max(1000).nullish(),
  })
  .superRefine((input, ctx) => {
    const counted = input.action === 'REQUIRE_APPROVALS' || input.action === 'ESCALATE';
    if (input.action === 'REQUIRE_APPROVALS' && input.requiredApprovals == null) {
      ctx.addIssue({ code: 'custom', path: ['requiredApprovals'], message: 'required for REQUIRE_APPROVALS' });
    }
    if (!counted && input.requiredApprovals != null) {
      ctx.addIssue({ code: 'custom', path: ['requiredApprovals'], message: `must be null for ${input.action}` });
    }
  });

function validated(input: UpsertRoutingPolicyInput) {
  const parsed = upsertSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || 'input', message: i.message }));
    throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  }
  return {
    ...parsed.data,
    timeZone: parseTimeZone(parsed.data.timeZone ?? 'UTC'),
    // ESCALATE without a count adds one approval, as in the seed.
    requiredApprovals: parsed.data.requiredApprovals ?? (parsed.data.action === 'ESCALATE' ? 1 : null),
  };
}

/**
 * The facts routing reads, from what the workflow has already computed for a submission. Submission and
 * simulation both build them here, so a simulation cannot disagree with the real decision.
 */
export function routingFacts(args: {
  datasource: Datasource;
  classification: Classification;
  risk: Pick<RiskAnalysis, 'level' | 'score'> | null;
  requesterRole: Role;
  requesterGroupIds: readonly string[];
  cicdOrigin: boolean;
  planMinApprovals: number;
  now: Date;
}): RoutingFacts {
  const { datasource, classification: c } = args;
  const defaultSchema = defaultSchemaOf(datasource);
  return {
    datasourceId: datasource.id,
    queryType: c.type,
    tables: c.tables.map((t) => ({ schema: (t.schema ?? defaultSchema).toLowerCase(), name: t.name.toLowerCase() })),
    riskLevel: args.risk?.level ?? null,
    riskScore: args.risk?.score ?? null,
    requesterRole: args.requesterRole,
    requesterGroupIds: args.requesterGroupIds,
    hasWhere: c.hasWhere,
    hasLimit: c.hasLimit,
    transactional: c.transactional,
    cicdOrigin: args.cicdOrigin,
    planMinApprovals: args.planMinApprovals,
    now: args.now,
  };
}

export class RoutingPolicyService extends AuditedService {
  private readonly datasources: DatasourceService;
  private readonly grants: GrantService;
  private readonly classificationTags: ClassificationTagService;

  constructor(deps: {
    store: RoutingPolicyService['store'];
    audit: RoutingPolicyService['audit'];
    datasources: DatasourceService;
    grants: GrantService;
    classificationTags: ClassificationTagService;
  }) {
    super(deps.store, deps.audit);
    this.datasources = deps.datasources;
    this.grants = deps.grants;
    this.classificationTags = deps.classificationTags;
  }

  /** Several by id in one transaction (missing ones are left out). */
  async getMany(actor: Actor, ids: readonly string[]): Promise<RoutingPolicy[]> {
    return this.store.tenant(actor.orgId, (em) => em.find(RoutingPolicyEntity, { id: { $in: [...ids] } }));
  }

  /** In evaluation order; with `datasourceId`, the policies that apply to it (its own and the org-wide ones). */
  async list(actor: Actor, datasourceId: string | null, offset: number, limit: number): Promise<RoutingPolicy[]> {
    return this.store.tenant(actor.orgId, (em) =>
      em.find(RoutingPolicyEntity, datasourceId ? { $or: [{ datasourceId }, { datasourceId: null }] } : {}, { orderBy: { priority: 'asc' }, offset, limit }),
    );
  }

  /** Authoritative for the name: omitted fields take their defaults. */
  async upsert(actor: Actor, origin: Origin, input: UpsertRoutingPolicyInput): Promise<RoutingPolicy> {
    const scalars = validated(input);
    return this.store.tenant(actor.orgId, async (em) => {
      // What the policy is scoped to is checked first, so another organization's id reads as NotFound whatever else is wrong.
      if (scalars.datasourceId && !(await em.findOne(DatasourceEntity, { id: scalars.datasourceId }))) throw new NotFoundError('Datasource', scalars.datasourceId);
      const values = { ...scalars, condition: parseCondition(input.condition) };
      const groupIds = [...new Set(groupIdsIn(values.condition))];
      if (groupIds.length > 0) {
        const known = new Set((await em.find(UserGroupEntity, { id: { $in: groupIds } }, { fields: ['id'] })).map((g) => g.id));
        const unknown = groupIds.filter((id) => !known.has(id));
        if (unknown.length > 0) {
          throw new ValidationError(`condition: no group ${unknown.join(', ')} in this organization`, [{ path: 'condition', message: `unknown group ${unknown.join(', ')}` }]);
        }
      }
      let policy = await em.findOne(RoutingPolicyEntity, { name: values.name });
      const holder = await em.findOne(RoutingPolicyEntity, { priority: values.priority });
      if (holder && holder.id !== policy?.id) {
        throw new ConflictError(`priority ${values.priority} is already used by routing policy "${holder.name}"; priorities are unique in the organization`);
      }
      const created = policy === null;
      policy ??= em.create(RoutingPolicyEntity, {
        organizationId: actor.orgId,
        name: values.name,
        priority: values.priority,
        condition: values.condition,
        action: values.action,
      });
      em.assign(policy, {
        description: values.description ?? null,
        datasourceId: values.datasourceId ?? null,
        priority: values.priority,
        enabled: values.enabled ?? true,
        condition: values.condition,
        timeZone: values.timeZone,
        action: values.action,
        requiredApprovals: values.requiredApprovals,
        reason: values.reason ?? null,
      });
      await flushOrConflict(em, `routing policy priority ${values.priority} or name "${values.name}" is already used in this organization`);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: created ? 'ROUTING_POLICY_CREATED' : 'ROUTING_POLICY_UPDATED',
        targetType: 'RoutingPolicy',
        targetId: policy.id,
        metadata: { ...values },
      });
      return policy;
    });
  }

  async delete(actor: Actor, origin: Origin, id: string): Promise<string> {
    return this.store.tenant(actor.orgId, async (em) => {
      const policy = await em.findOne(RoutingPolicyEntity, { id });
      if (!policy) throw new NotFoundError('RoutingPolicy', id);
      em.remove(policy);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'ROUTING_POLICY_DELETED',
        targetType: 'RoutingPolicy',
        targetId: id,
        metadata: { name: policy.name, priority: policy.priority, action: policy.action },
      });
      return id;
    });
  }

  /**
   * Puts the organization's policies in the given order: `ids` must name every policy exactly once. The set of
   * priority values is kept and handed out again in the new order, so nothing else moves.
   */
  async reorder(actor: Actor, origin: Origin, ids: readonly string[]): Promise<RoutingPolicy[]> {
    if (new Set(ids).size !== ids.length) throw new ValidationError('ids: an id is listed twice', [{ path: 'ids', message: 'an id is listed twice' }]);
    return this.store.tenant(actor.orgId, async (em) => {
      const policies = await em.find(RoutingPolicyEntity, {}, { orderBy: { priority: 'asc' } });
      const byId = new Map(policies.map((p) => [p.id, p]));
      const unknown = ids.filter((id) => !byId.has(id));
      if (unknown.length > 0) throw new NotFoundError('RoutingPolicy', unknown[0]!);
      if (ids.length !== policies.length) {
        const missing = policies.filter((p) => !ids.includes(p.id)).map((p) => p.name);
        throw new ValidationError(`ids: name every routing policy of the organization; missing ${missing.join(', ')}`, [{ path: 'ids', message: `missing ${missing.join(', ')}` }]);
      }
      const priorities = policies.map((p) => p.priority);
      const before = policies.map((p) => ({ id: p.id, priority: p.priority }));
      // Out of the way first (negative values are never valid priorities), so the unique index holds at every step.
      await em.execute('update routing_policies set priority = -1 - priority where organization_id = ?', [actor.orgId]);
      for (const [index, id] of ids.entries()) await em.nativeUpdate(RoutingPolicyEntity, { id }, { priority: priorities[index]! });
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'ROUTING_POLICIES_REORDERED',
        targetType: 'RoutingPolicy',
        metadata: { before, after: ids.map((id, index) => ({ id, priority: priorities[index]! })) },
      });
      return em.find(RoutingPolicyEntity, {}, { orderBy: { priority: 'asc' }, refresh: true });
    });
  }


  /** What routing would decide for this statement, submitted now (or `at`) by the caller or `asUserId`; nothing is written. */
  async simulate(actor: Actor, origin: Origin, input: SimulateRoutingInput): Promise<RoutingSimulation> {
    const other = input.asUserId && input.asUserId !== actor.userId;
    if (other && !roleHas(actor.role, 'POLICIES_MANAGE')) throw new ForbiddenError('simulating a submission by someone else needs POLICIES_MANAGE');
    // Only a datasource the caller may see (the datasource service's rule), so this reveals nothing new.
    // (Compared by id too: DatasourceService.get can answer with another visible datasource for an invisible id.)
    const visible = await this.datasources.get(actor, input.datasourceId);
    if (!visible || visible.id !== input.datasourceId) throw new NotFoundError('Datasource', input.datasourceId);
    return this.store.tenant(actor.orgId, async (em) => {
      const datasource = await em.findOneOrFail(DatasourceEntity, { id: visible.id });
      let subject: Actor = actor;
      if (other) {
        const user = await em.findOne(UserEntity, { id: input.asUserId! });
        if (!user) throw new NotFoundError('User', input.asUserId!);
        subject = { ...actor, userId: user.id, email: user.email, role: user.role, kind: user.kind, platformAdmin: user.platformAdmin, via: 'SESSION', sessionId: null, apiKeyId: null };
      }
      const classification = await classify(datasource.dbType, input.query);
      const groupIds = await groupIdsOf(em, subject.userId);
      const access = await accessOf(this.grants, em, subject, groupIds, datasource);
      let refusal: string | null = null;
      try {
        assertRoleMay(subject.role, classification);
        assertAllowed(access, classification, datasource);
      } catch (error) {
        if (!(error instanceof ForbiddenError)) throw error;
        refusal = error.message;
      }
      const risk = analyzeRisk(classification, input.query, access, await this.classificationTags.classifiedOf(em, datasource.id));
      const facts = routingFacts({
        datasource,
        classification,
        risk,
        requesterRole: subject.role,
        requesterGroupIds: groupIds,
        cicdOrigin: input.cicdOrigin ?? origin.ci,
        planMinApprovals: (await reviewPlanOf(em, datasource)).minApprovalsRequired,
        now: input.at ?? new Date(),
      });
      const outcome = route(await this.applicable(em, datasource.id), facts);
      return { ...outcome, datasource, classification, risk, facts, refusal };
    });
  }

  /**
   * The enabled policies that may apply to a datasource's requests (its own and the organization-wide ones), in
   * evaluation order: the request workflow reads them with its other admission inputs and evaluates them with
   * `route` (evaluate.ts) at submission time.
   */
  applicable(em: EntityManager, datasourceId: string): Promise<RoutingPolicy[]> {
    return em.find(RoutingPolicyEntity, { enabled: true, $or: [{ datasourceId }, { datasourceId: null }] }, { orderBy: { priority: 'asc' } });
  }
}

/**
 * The governed query workflow (FEATURES C1–C4, C6): submit → classify → role and grants → risk → plan →
 * PENDING_REVIEW or APPROVED → (decisions) → execute with AccessFlow's credentials → mask → store → audit.
 * Every state change is a compare-and-swap on the row (locked FOR UPDATE), so concurrent decisions,
 * executions and cancellations leave exactly one outcome.
 */
import { createHash } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import { LRUCache } from 'lru-cache';
import { EngineError, engineFor, type ConnectionSpec, type ExecutionResult } from '../../engines/engine.ts';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Bus } from '../../bus/bus.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import { flushOrConflict, type EntityManager, type Store } from '../../store/store.ts';
import { auditOriginOf, type AuditOrigin, type AuditService } from '../audit/audit.service.ts';
import type { ClassificationTagService } from '../classification/classification-tag.service.ts';
import { DatasourceEntity, type Datasource } from '../datasources/datasource.entity.ts';
import type { DatasourceService } from '../datasources/datasource.service.ts';
import type { EffectiveAccess } from '../grants/access.ts';
import type { GrantService } from '../grants/grant.service.ts';
import { groupIdsOf } from '../groups/memberships.ts';
import { roleHas } from '../identity/permissions.ts';
import { UserEntity, type User } from '../identity/user.entity.ts';
import { RequestGroupEntity } from '../requestgroups/request-group.entity.ts';
import { OrganizationEntity } from '../orgs/organization.entity.ts';
import { assertWithinQuota } from '../orgs/quota.ts';
import type { MaskingPolicy } from '../masking/masking-policy.entity.ts';
import type { MaskingPolicyService } from '../masking/masking-policy.service.ts';
import { RISK_LEVELS, type Approver } from '../review/review-plan.entity.ts';
import { eligibleApprover, reviewPlanOf } from '../review/approvers.ts';
import { route } from '../routing/evaluate.ts';
import { routingFacts, type RoutingPolicyService } from '../routing/routing-policy.service.ts';
import { displayTable, PredicateIndex, rewriteForRowSecurity, RowSecurityUnrewritable, type RewriteResult, type RowPredicate } from '../rowsecurity/rewrite.ts';
import type { RowSecurityPolicyService } from '../rowsecurity/row-security-policy.service.ts';
import { accessOf, assertAllowed, assertRoleMay, defaultSchemaOf } from './admission.ts';
import { AdmissionCache, type AdmissionInputs } from './admission-cache.ts';
import { canonicalSql } from '../../engines/sql/canonical.ts';
import { classify, impactOf, QueryRejectedError, type Classification } from './classify.ts';
import { maskResult } from './mask-result.ts';
import { analyzeRisk } from './risk.ts';
import { AI_REVIEW_TOPIC, AWAITING_AI, failClosed, GROUP_MEMBER_VERDICT, needsAiReview, withAiVerdict, type AiVerdict } from '../ai/ai-risk.ts';
import {
  QueryRequestEntity,
  ReviewDecisionEntity,
  type Decision,
  type QueryRequest,
  type QueryStatus,
} from './query-request.entity.ts';

export interface SubmitQueryInput {
  datasourceId: string;
  query: string;
  justification?: string | null;
  scheduledFor?: Date | null;
  clientRequestId?: string | null;
  /** Run at once when the request is approved on submission (the one-round-trip path for auto-approved reads). */
  execute?: boolean | null;
}

export interface DecideInput {
  requestId: string;
  decision: Decision;
  comment?: string | null;
  /** The text the reviewer read; a decision on a text that has changed since is refused. */
  sqlHash?: string | null;
}

export const requestTopic = (id: string) => `query-request:${id}`;
export const reviewQueueTopic = (orgId: string) => `review-queue:${orgId}`;
/** Every break-glass run of an organization, for the admins (FEATURES C11: all admins are told at once). */
export const breakGlassTopic = (orgId: string) => `break-glass:${orgId}`;
/** Published when a request gets a due moment sooner than a sweep might notice (a scheduled request approved). */
export const DUE_TOPIC = 'requests:due';

const OPEN: readonly QueryStatus[] = ['PENDING_AI', 'PENDING_REVIEW', 'APPROVED'];

/** Due requests handled per sweep; the rest wait for the next one, which follows at once. */
const DUE_BATCH = 100;

/** Work the server does on its own (scheduled runs, timeouts, recovery) is audited as the system's. */
const SCHEDULER: AuditOrigin = { actorId: null, actorType: 'SYSTEM', ipAddress: null, userAgent: null, source: 'SYSTEM' };

/** The submitter as the actor of work done for them (a scheduled run, an impact count): their current rights decide. */
function scheduledActor(user: User): Actor {
  return { userId: user.id, orgId: user.organizationId, email: user.email, role: user.role, kind: user.kind, platformAdmin: false, via: 'SCHEDULE', sessionId: null, apiKeyId: null };
}

/** Beyond a datasource's statement timeout, how long a run may still be finishing (engine watchdog, network). */
const ABANDONED_MARGIN_SECONDS = 120;

export interface BreakGlassInput {
  datasourceId: string;
  query: string;
  justification?: string | null;
}

export interface ImpactPreview {
  requestId: string;
  statements: { text: string; rows: number; upperBound: boolean; countSql: string | null }[];
  totalRows: number;
}

export interface BulkDecisionOutcome {
  requestId: string;
  request: QueryRequest | null;
  error: DomainError | null;
}

export interface ReviseInput {
  requestId: string;
  query: string;
  justification?: string | null;
}

/** Where a submission goes, and what decided it: a routing policy, or (when none applies) the review plan. */
interface Routing {
  status: QueryStatus;
  reason: string;
  policy: { id: string; name: string; action: string } | null;
}

/** How a statement was judged for its submitter (see `assess`). */
interface Assessment {
  classification: Classification;
  groupIds: readonly string[];
  access: EffectiveAccess;
  predicates: RowPredicate[];
  /** The statements rewritten for row security with `predicates`, as admitted. */
  rowSecured: RewriteResult;
  plan: Awaited<ReturnType<typeof reviewPlanOf>>;
  risk: ReturnType<typeof analyzeRisk>;
  routing: Routing;
  /** SHA-256 of the canonical text: the same statement written differently has the same one (null if unprintable). */
  canonicalHash: string | null;
}

/** The request's columns that follow from its text and its assessment. */
function assessedFields(query: string, { classification, plan, risk, routing, canonicalHash }: Assessment) {
  return {
    sqlText: query,
    sqlHash: sha256(query),
    canonicalHash,
    queryType: classification.type,
    readOnly: classification.readOnly,
    tables: classification.tables.map((t) => (t.schema ? `${t.schema}.${t.name}` : t.name)),
    hasWhere: classification.hasWhere,
    hasLimit: classification.hasLimit,
    transactional: classification.transactional,
    status: routing.status,
    decisionReason: routing.reason,
    // A request waiting for its AI review has the plan's deadline too: a review that never comes times it out.
    reviewDeadline: routing.status === 'PENDING_REVIEW' || routing.status === 'PENDING_AI' ? new Date(Date.now() + plan.approvalTimeoutHours * 3_600_000) : null,
    riskScore: risk.score,
    riskLevel: risk.level,
    riskSummary: risk.summary,
    riskIssues: risk.issues,
    plan,
  };
}

/** A request moved to EXECUTING, with what its run needs, read in the claiming transaction. */
interface Claim {
  request: QueryRequest;
  datasource: Datasource;
  /** The statement as classified when it was claimed; the run executes exactly this. */
  classification: Classification;
  access: EffectiveAccess;
  groupIds: readonly string[];
  policies: MaskingPolicy[];
  predicates: RowPredicate[];
  /** The row-security rewrite by these predicates when it was made at admission (a run at once), else made at the run. */
  rowSecured?: RewriteResult;
}

/** What a run needs besides its request. */
type Runnable = Omit<Claim, 'request'>;

/** How a run ended: the engine's result, or the error that ended it; and where it ran. */
type RunOutcome = ({ result: ExecutionResult; rowSecurityPolicyIds: string[] } | { error: string }) & {
  target: { on: 'PRIMARY' | 'REPLICA'; replicaError: string | null };
};

export class QueryRequestService {
  private readonly store: Store;
  private readonly audit: AuditService;
  private readonly bus: Bus;
  private readonly datasources: DatasourceService;
  private readonly grants: GrantService;
  private readonly masking: MaskingPolicyService;
  private readonly rowSecurity: RowSecurityPolicyService;
  private readonly classificationTags: ClassificationTagService;
  private readonly routingPolicies: RoutingPolicyService;
  private readonly maskingKey: Buffer;
  private readonly admissionCache = new AdmissionCache();

  constructor(deps: {
    store: Store;
    audit: AuditService;
    bus: Bus;
    datasources: DatasourceService;
    grants: GrantService;
    masking: MaskingPolicyService;
    rowSecurity: RowSecurityPolicyService;
    classificationTags: ClassificationTagService;
    routingPolicies: RoutingPolicyService;
    maskingKey: Buffer;
  }) {
    this.store = deps.store;
    this.audit = deps.audit;
    this.bus = deps.bus;
    this.datasources = deps.datasources;
    this.grants = deps.grants;
    this.masking = deps.masking;
    this.rowSecurity = deps.rowSecurity;
    this.classificationTags = deps.classificationTags;
    this.routingPolicies = deps.routingPolicies;
    this.maskingKey = deps.maskingKey;
  }

  /** The request, when the caller submitted it or may see every request; otherwise null. */
  async get(actor: Actor, id: string): Promise<QueryRequest | null> {
    const request = await this.store.tenant(actor.orgId, (em) => em.findOne(QueryRequestEntity, { id }));
    return request && this.mayView(actor, request) ? request : null;
  }

  async decisions(orgId: string, requestIds: readonly string[]) {
    const rows = await this.store.tenant(orgId, (em) =>
      em.find(ReviewDecisionEntity, { requestId: { $in: [...requestIds] } }, { orderBy: { createdAt: 'asc' } }),
    );
    return requestIds.map((id) => rows.filter((row) => row.requestId === id));
  }

  async list(actor: Actor, filter: { mine: boolean; status: QueryStatus | null }, offset: number, limit: number): Promise<QueryRequest[]> {
    const mine = filter.mine || !roleHas(actor.role, 'QUERY_VIEW_ALL');
    return this.store.tenant(actor.orgId, (em) =>
      em.find(
        QueryRequestEntity,
        { ...(mine ? { submittedById: actor.userId } : {}), ...(filter.status ? { status: filter.status } : {}) },
        { orderBy: { createdAt: 'desc', id: 'desc' }, offset, limit },
      ),
    );
  }

  /** Requests waiting for a decision the caller may make now (never their own). */
  async reviewQueue(actor: Actor, offset: number, limit: number): Promise<QueryRequest[]> {
    return this.store.tenant(actor.orgId, async (em) => {
      const pending = await em.find(
        QueryRequestEntity,
        { status: 'PENDING_REVIEW', submittedById: { $ne: actor.userId } },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      );
      const groupIds = await groupIdsOf(em, actor.userId);
      const decided = await em.find(ReviewDecisionEntity, { reviewerId: actor.userId, requestId: { $in: pending.map((r) => r.id) } });
      return pending
        .filter((r) => eligibleApprover(actor, groupIds, stageApprovers(r)) && !decided.some((d) => d.requestId === r.id && d.stage === r.currentStage && d.revision === r.revision))
        .slice(offset, offset + limit);
    });
  }

  async submit(actor: Actor, origin: Origin, input: SubmitQueryInput): Promise<QueryRequest> {
    if (input.scheduledFor && input.scheduledFor <= new Date()) {
      throw new ValidationError('scheduledFor: must be in the future', [{ path: 'scheduledFor', message: 'must be in the future' }]);
    }
    const read = input.execute && !input.scheduledFor ? await this.submitAndRunRead(actor, origin, input) : null;
    if (read) return read;
    // One transaction from submission to (for an approved read with `execute`) the claim to run it; a repeated
    // clientRequestId answers with the caller's earlier request (also when a concurrent one committed first).
    const outcome = await this.store
      .tenant(actor.orgId, async (em) => {
        if (input.clientRequestId) {
          const existing = await em.findOne(QueryRequestEntity, { submittedById: actor.userId, clientRequestId: input.clientRequestId });
          if (existing) return { request: existing, claim: null };
        }
        return this.createInTransaction(em, actor, origin, input, null);
      })
      .catch(async (error: unknown) => {
        if (error instanceof ConflictError && input.clientRequestId) {
          const existing = await this.findByClientId(actor, input.clientRequestId);
          if (existing) return { request: existing, claim: null };
        }
        throw error;
      });
    // A claimed request was announced (EXECUTING) by the claim itself.
    if (!outcome.claim) this.publish(outcome.request);
    return outcome.claim ? this.run(actor.orgId, auditOriginOf(actor, origin), outcome.claim) : outcome.request;
  }

  /**
   * The fast path of an auto-approved read with `execute` (FEATURES C4, benchmark P1): judged by the caller's
   * cached admission inputs and run before anything is written, then recorded — request, decision record, run and
   * masked result — in one transaction, only if the configuration it was judged by is still the organization's
   * current one under the audit chain lock. Nothing is returned before that record commits.
   *
   * It is taken only when nothing can be known to refuse the record before the run: the inputs were read at the
   * configuration version the caller was authenticated at, the organization has no daily quota to count, and no
   * clientRequestId may name an earlier request. When the configuration moves on while the read runs, the run is
   * still audited (QUERY_RUN_DISCARDED, its result dropped) and null sends the caller down the ordinary path, which
   * judges it afresh. Returns null as well when the statement is not an approved read. A write never runs before
   * its request is recorded.
   */
  private async submitAndRunRead(actor: Actor, origin: Origin, input: SubmitQueryInput): Promise<QueryRequest | null> {
    if (input.clientRequestId) return null;
    const inputs = this.admissionCache.peek(actor, input.datasourceId);
    if (!inputs?.datasource.active || inputs.configVersion !== actor.configVersion || inputs.maxQueriesPerDay > 0) return null;
    let assessed: Assessment;
    try {
      assessed = await this.assess(inputs, actor, origin, input.query);
    } catch (error) {
      // The ordinary path refuses it, as typed errors are reported there.
      if (error instanceof DomainError) return null;
      throw error;
    }
    if (assessed.routing.status !== 'APPROVED' || !assessed.classification.readOnly) return null;
    const runnable: Runnable = { ...assessed, datasource: inputs.datasource, policies: inputs.maskingPolicies };
    const ran = await this.runOnEngine(runnable, input.query);
    const by = auditOriginOf(actor, origin);
    const record = async (em: EntityManager) => {
      const request = await this.recordSubmission(em, actor, origin, input, inputs.datasource, assessed, null);
      await this.audit.append(em, actor.orgId, by, { action: 'QUERY_EXECUTION_STARTED', targetType: 'QueryRequest', targetId: request.id });
      await this.recordRun(em, actor.orgId, by, request, runnable, ran);
      return request;
    };
    const request =
      (await this.recordWithoutLock(actor.orgId, inputs.configVersion, record)) ??
      (await this.store.tenant(actor.orgId, async (em) => {
        if ((await this.audit.lockChain(em, actor.orgId)) !== inputs.configVersion) {
          await this.audit.append(em, actor.orgId, by, {
            action: 'QUERY_RUN_DISCARDED',
            targetType: 'Datasource',
            targetId: inputs.datasource.id,
            metadata: { sqlHash: sha256(input.query), reason: 'the configuration changed while the read ran; its result was dropped and the submission judged again' },
          });
          return null;
        }
        return record(em);
      }));
    if (request) this.publish(request);
    return request;
  }

  /**
   * `record` written in one round trip, its audit events continuing the chain from where this server last saw it
   * (AuditService.continueKnownChain): taken only if that head and the configuration version are still current
   * when it is written. Null when the head is unknown or has moved on; nothing was written then, and the caller
   * takes the chain lock instead.
   */
  private async recordWithoutLock<T>(orgId: string, configVersion: number, record: (em: EntityManager) => Promise<T>): Promise<T | null> {
    try {
      return await this.store.pipelined(orgId, async (em) => {
        if (!this.audit.continueKnownChain(em, orgId, configVersion)) return null;
        const value = await record(em);
        return { value, closing: this.audit.closingStatement(em, orgId) };
      });
    } catch (error) {
      if (this.audit.chainMoved(error)) return null;
      throw error;
    }
  }

  /**
   * One submission inside the caller's transaction: checks, assessment, the row and its audit trail, and (for an
   * approved read with `execute`) the claim to run it. Request groups create their members with it, in one
   * transaction for the whole group.
   */
  async createInTransaction(
    em: EntityManager,
    actor: Actor,
    origin: Origin,
    input: SubmitQueryInput,
    membership: { groupId: string; position: number } | null,
  ): Promise<{ request: QueryRequest; claim: Claim | null }> {
    const inputs = await this.admissionInputs(em, actor, input.datasourceId);
    const { datasource } = inputs;
    if (!datasource.active) throw new ConflictError(`datasource "${datasource.name}" is inactive`);
    await assertDailyQuota(em, inputs.maxQueriesPerDay);
    // Request group members are not reviewed by the model one by one: they fail closed to people (docs/ai.md).
    const assessed = await this.assess(inputs, actor, origin, input.query, membership && needsAiReview(datasource, inputs.plan) ? GROUP_MEMBER_VERDICT : undefined);
    const request = await this.recordSubmission(em, actor, origin, input, datasource, assessed, membership);
    // A concurrent submission with the same clientRequestId: the other one stands.
    await flushOrConflict(em, `a request with clientRequestId ${input.clientRequestId} already exists`);
    const runNow = input.execute === true && request.status === 'APPROVED' && !request.scheduledFor;
    const { classification, access, groupIds, predicates, rowSecured } = assessed;
    return { request, claim: runNow ? await this.claim(em, actor, auditOriginOf(actor, origin), { request, datasource, classification, access, groupIds, predicates, rowSecured }) : null };
  }

  /** The request row of a judged submission, its QUERY_SUBMITTED event and its decision record. */
  private async recordSubmission(
    em: EntityManager,
    actor: Actor,
    origin: Origin,
    input: SubmitQueryInput,
    datasource: Datasource,
    assessed: Assessment,
    membership: { groupId: string; position: number } | null,
  ): Promise<QueryRequest> {
    const request = em.create(QueryRequestEntity, {
      organizationId: actor.orgId,
      datasourceId: datasource.id,
      submittedById: actor.userId,
      clientRequestId: input.clientRequestId ?? null,
      justification: input.justification ?? null,
      scheduledFor: input.scheduledFor ?? null,
      cicdOrigin: origin.ci,
      groupId: membership?.groupId ?? null,
      groupPosition: membership?.position ?? null,
      ...assessedFields(input.query, assessed),
    });
    const { classification } = assessed;
    const by = auditOriginOf(actor, origin);
    await this.audit.append(em, actor.orgId, by, {
      action: 'QUERY_SUBMITTED',
      targetType: 'QueryRequest',
      targetId: request.id,
      metadata: { datasourceId: datasource.id, queryType: classification.type, readOnly: classification.readOnly, tables: request.tables, sqlHash: request.sqlHash, status: 'PENDING_AI', cicdOrigin: origin.ci },
    });
    await this.recordAssessment(em, actor.orgId, by, request.id, assessed);
    return request;
  }

  /**
   * A statement judged for its submitter: classified, admitted by role and grants, checked against row security
   * (a statement it cannot filter is refused now, not after a reviewer approved it), risk-scored and routed.
   */
  private async assess(inputs: AdmissionInputs, actor: Actor, origin: Origin, query: string, ai?: AiVerdict): Promise<Assessment> {
    const { plan: planned, risk: rules, ...admitted } = await this.admit(inputs, actor, query);
    const { classification, groupIds } = admitted;
    const { datasource } = inputs;
    // AI review (FEATURES E2): the submission waits in PENDING_AI; the AI review job comes back here with a verdict.
    if (!ai && needsAiReview(datasource, planned)) return { ...admitted, plan: planned, risk: rules, routing: AWAITING_AI };
    const risk = ai ? withAiVerdict(rules, ai) : rules;
    const facts = routingFacts({
      datasource,
      classification,
      risk,
      requesterRole: actor.role,
      requesterGroupIds: groupIds,
      cicdOrigin: origin.ci,
      planMinApprovals: planned.minApprovalsRequired,
      now: new Date(),
    });
    const decision = route(inputs.routingPolicies, facts).decision;
    // A policy that asks for N approvals replaces the plan's minimum for this request (its stages stay).
    const plan = decision?.verdict === 'REVIEW' && decision.requiredApprovals !== null ? { ...planned, minApprovalsRequired: decision.requiredApprovals } : planned;
    const routing: Routing = decision
      ? {
          status: decision.verdict === 'APPROVE' ? 'APPROVED' : decision.verdict === 'REJECT' ? 'REJECTED' : 'PENDING_REVIEW',
          reason: decision.reason,
          policy: { id: decision.policyId, name: decision.policyName, action: decision.action },
        }
      : { ...routeByPlan(classification, risk.level, planned, datasource), policy: null };
    return { ...admitted, plan, risk, routing: ai ? failClosed(routing, ai) : routing };
  }

  /** Everything of `assess` before routing: what every path into execution (break-glass too) must pass. */
  private async admit(inputs: AdmissionInputs, actor: Actor, query: string): Promise<Omit<Assessment, 'routing'>> {
    const { datasource, groupIds, access, predicates, plan, classified } = inputs;
    const classification = await classify(datasource.dbType, query);
    assertRoleMay(actor.role, classification);
    assertAllowed(access, classification, datasource);
    const rowSecured = await filtered(datasource, classification, query, predicates);
    const risk = analyzeRisk(classification, query, access, classified);
    return { classification, groupIds, access, predicates, rowSecured, plan, risk, canonicalHash: await canonicalHashOf(datasource.dbType, query) };
  }

  /**
   * The admission inputs of the caller on a datasource, inside a transaction that will record what they decide:
   * the organization's audit chain is locked first, so no configuration change can commit before this
   * transaction does, and cached inputs are used only when read at the version seen under that lock.
   */
  private async admissionInputs(em: EntityManager, actor: Actor, datasourceId: string): Promise<AdmissionInputs> {
    const configVersion = await this.audit.lockChain(em, actor.orgId);
    const cached = this.admissionCache.current(actor, datasourceId, configVersion);
    if (cached) return cached;
    const inputs = await this.readAdmissionInputs(em, actor, datasourceId, configVersion);
    this.admissionCache.put(actor, inputs);
    return inputs;
  }

  /** The admission inputs as the store has them now; `configVersion` must have been read first in `em`'s transaction. */
  private async readAdmissionInputs(em: EntityManager, actor: Actor, datasourceId: string, configVersion: number): Promise<AdmissionInputs> {
    const datasource = await em.findOne(DatasourceEntity, { id: datasourceId });
    if (!datasource) throw new NotFoundError('Datasource', datasourceId);
    const org = await em.findOneOrFail(OrganizationEntity, { id: actor.orgId });
    const groupIds = await groupIdsOf(em, actor.userId);
    return {
      configVersion,
      datasource,
      groupIds,
      access: await accessOf(this.grants, em, actor, groupIds, datasource),
      predicates: await this.rowSecurity.predicatesFor(em, datasource.id, actor.userId, groupIds),
      maskingPolicies: await this.masking.policiesFor(em, datasource.id, { userId: actor.userId, role: actor.role, groupIds }),
      plan: await reviewPlanOf(em, datasource),
      classified: await this.classificationTags.classifiedOf(em, datasource.id),
      routingPolicies: await this.routingPolicies.applicable(em, datasource.id),
      maxQueriesPerDay: org.maxQueriesPerDay,
    };
  }

  /**
   * Break-glass (FEATURES C11): runs at once, skipping review but no guard — role, grants, allowed tables, row
   * security, masking and row caps all apply — for a caller who holds an explicit can_break_glass grant on the
   * datasource (admins too), with a justification. It is audited prominently, announced to every admin, and
   * opens a retro-review that an admin other than the submitter must acknowledge.
   */
  async breakGlass(actor: Actor, origin: Origin, input: BreakGlassInput): Promise<QueryRequest> {
    const by = auditOriginOf(actor, origin);
    const claim = await this.store.tenant(actor.orgId, async (em) => {
      const inputs = await this.admissionInputs(em, actor, input.datasourceId);
      const { datasource } = inputs;
      if ((input.justification?.trim().length ?? 0) < 10) {
        throw new ValidationError('justification: required for break-glass (at least 10 characters)', [{ path: 'justification', message: 'at least 10 characters' }]);
      }
      if (!datasource.active) throw new ConflictError(`datasource "${datasource.name}" is inactive`);
      await assertDailyQuota(em, inputs.maxQueriesPerDay);
      const admitted = await this.admit(inputs, actor, input.query);
      // The grant itself, not the role: an admin's access is implicit (it does not include breaking glass), so
      // theirs is read from their grants; everyone else's admitted access already is their grants.
      const granted = actor.role === 'ADMIN' ? await this.grants.effectiveAccess(em, actor.userId, admitted.groupIds, datasource) : admitted.access;
      if (!granted.canBreakGlass) throw new ForbiddenError(`break-glass on "${datasource.name}" needs an explicit can_break_glass grant (admins too)`);
      const routing: Routing = { status: 'APPROVED', reason: 'break-glass: review skipped, every guard applied', policy: null };
      const request = em.create(QueryRequestEntity, {
        organizationId: actor.orgId,
        datasourceId: datasource.id,
        submittedById: actor.userId,
        clientRequestId: null,
        justification: input.justification!.trim(),
        scheduledFor: null,
        cicdOrigin: origin.ci,
        breakGlass: true,
        retroReviewStatus: 'PENDING',
        ...assessedFields(input.query, { ...admitted, routing }),
      });
      await em.flush();
      await this.audit.append(em, actor.orgId, by, {
        action: 'QUERY_BREAK_GLASS_EXECUTED',
        targetType: 'QueryRequest',
        targetId: request.id,
        metadata: {
          prominent: true,
          justification: request.justification,
          datasourceId: datasource.id,
          queryType: admitted.classification.type,
          tables: request.tables,
          sqlHash: request.sqlHash,
          grantIds: granted.grantIds,
          decision: { verdict: 'APPROVED', reason: routing.reason, decidedBy: 'BREAK_GLASS' },
        },
      });
      this.store.afterCommit(em, () => void this.bus.publish(breakGlassTopic(actor.orgId), { id: request.id }));
      return this.claim(em, actor, by, { request, datasource, classification: admitted.classification, access: admitted.access, groupIds: admitted.groupIds, predicates: admitted.predicates, rowSecured: admitted.rowSecured });
    });
    return this.run(actor.orgId, by, claim);
  }

  /** The retro-review of a break-glass run: an admin other than the submitter acknowledges it, with a comment. */
  async acknowledgeBreakGlass(actor: Actor, origin: Origin, input: { requestId: string; comment: string }): Promise<QueryRequest> {
    if (!input.comment.trim()) throw new ValidationError('comment: required', [{ path: 'comment', message: 'required' }]);
    const request = await this.store.tenant(actor.orgId, async (em) => {
      const request = await em.findOne(QueryRequestEntity, { id: input.requestId, breakGlass: true }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!request) throw new NotFoundError('QueryRequest', input.requestId);
      if (request.submittedById === actor.userId) throw new ForbiddenError('nobody closes the retro-review of their own break-glass run');
      if (request.retroReviewStatus !== 'PENDING') throw new ConflictError('the retro-review of this break-glass run is already acknowledged');
      em.assign(request, { retroReviewStatus: 'ACKNOWLEDGED', retroReviewedById: actor.userId, retroReviewedAt: new Date(), retroReviewComment: input.comment.trim() });
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'BREAK_GLASS_ACKNOWLEDGED',
        targetType: 'QueryRequest',
        targetId: request.id,
        metadata: { comment: request.retroReviewComment, submittedById: request.submittedById },
      });
      return request;
    });
    this.publish(request);
    return request;
  }

  /** A request of the organization, for server-side lookups (e.g. a subscription payload already authorised). */
  async find(orgId: string, id: string): Promise<QueryRequest | null> {
    return this.store.tenant(orgId, (em) => em.findOne(QueryRequestEntity, { id }));
  }

  /** Break-glass runs, newest first; only those still waiting for their retro-review when `pendingOnly`. */
  async breakGlassLog(actor: Actor, pendingOnly: boolean, offset: number, limit: number): Promise<QueryRequest[]> {
    return this.store.tenant(actor.orgId, (em) =>
      em.find(
        QueryRequestEntity,
        { breakGlass: true, ...(pendingOnly ? { retroReviewStatus: 'PENDING' as const } : {}) },
        { orderBy: { createdAt: 'desc', id: 'desc' }, offset, limit },
      ),
    );
  }

  /** The analysis and the decision record (FEATURES K3): the verdict and what decided it. */
  private async recordAssessment(em: EntityManager, orgId: string, by: AuditOrigin, requestId: string, { risk, routing, plan, access }: Assessment): Promise<void> {
    const target = { targetType: 'QueryRequest', targetId: requestId };
    await this.audit.append(em, orgId, by, {
      action: 'QUERY_ANALYZED',
      ...target,
      metadata: { analyzer: 'rules', riskScore: risk.score, riskLevel: risk.level, issues: risk.issues.map((i) => i.code) },
    });
    await this.audit.append(em, orgId, by, {
      action:
        routing.status === 'APPROVED' ? 'QUERY_APPROVED'
        : routing.status === 'REJECTED' ? 'QUERY_REJECTED'
        // Not yet routed: nobody is asked to review before the model has answered.
        : routing.status === 'PENDING_AI' ? 'QUERY_AI_PENDING'
        : 'QUERY_REVIEW_REQUIRED',
      ...target,
      metadata: {
        decision: {
          verdict: routing.status,
          reason: routing.reason,
          decidedBy: routing.policy ? 'ROUTING_POLICY' : 'REVIEW_PLAN',
          ...(routing.policy ? { policyId: routing.policy.id, policyName: routing.policy.name, policyAction: routing.policy.action } : {}),
          plan: plan.name,
          minApprovalsRequired: plan.minApprovalsRequired,
          grantIds: access.grantIds,
        },
      },
    });
  }

  /**
   * The submitter's new text after REQUEST_CHANGES: judged afresh as a new submission would be, and reviewed
   * afresh from the first stage — earlier decisions stay in the history, bound to the text they were about.
   */
  async revise(actor: Actor, origin: Origin, input: ReviseInput): Promise<QueryRequest> {
    const request = await this.store.tenant(actor.orgId, async (em) => {
      const request = await this.lock(em, actor, input.requestId);
      assertGroupPath(request, false);
      if (request.submittedById !== actor.userId) throw new ForbiddenError('only the submitter may revise a request');
      if (request.status !== 'CHANGES_REQUESTED') throw new ConflictError(`the request is ${request.status}; only a request with changes requested can be revised`);
      const inputs = await this.admissionInputs(em, actor, request.datasourceId);
      if (!inputs.datasource.active) throw new ConflictError(`datasource "${inputs.datasource.name}" is inactive`);
      const assessed = await this.assess(inputs, actor, origin, input.query);
      const previousHash = request.sqlHash;
      em.assign(request, { ...assessedFields(input.query, assessed), currentStage: 1, revision: request.revision + 1, ...(input.justification != null ? { justification: input.justification } : {}) });
      const by = auditOriginOf(actor, origin);
      await this.audit.append(em, actor.orgId, by, {
        action: 'QUERY_REVISED',
        targetType: 'QueryRequest',
        targetId: request.id,
        metadata: { previousSqlHash: previousHash, sqlHash: request.sqlHash, revision: request.revision, queryType: assessed.classification.type, tables: request.tables },
      });
      await this.recordAssessment(em, actor.orgId, by, request.id, assessed);
      return request;
    });
    this.publish(request);
    return request;
  }

  async decide(actor: Actor, origin: Origin, input: DecideInput, asGroupMember = false): Promise<QueryRequest> {
    if (input.decision !== 'APPROVE' && !input.comment?.trim()) {
      throw new ValidationError('comment: required to reject or request changes', [{ path: 'comment', message: 'required to reject or request changes' }]);
    }
    const request = await this.store.tenant(actor.orgId, async (em) => {
      const request = await this.lock(em, actor, input.requestId);
      assertGroupPath(request, asGroupMember);
      if (request.submittedById === actor.userId) throw new ForbiddenError('nobody approves their own request');
      if (request.status !== 'PENDING_REVIEW') throw new ConflictError(`the request is ${request.status}, not waiting for review`);
      const approvers = stageApprovers(request);
      if (!eligibleApprover(actor, await groupIdsOf(em, actor.userId), approvers)) {
        throw new ForbiddenError(`you are not an approver of stage ${request.currentStage} of this request`);
      }
      if (input.sqlHash && input.sqlHash !== request.sqlHash) {
        throw new ConflictError('the statement has changed since you read it (its sqlHash differs); read it again before deciding');
      }
      if (await em.count(ReviewDecisionEntity, { requestId: request.id, reviewerId: actor.userId, stage: request.currentStage, revision: request.revision })) {
        throw new ConflictError(`you have already decided stage ${request.currentStage} of this request`);
      }
      em.create(ReviewDecisionEntity, {
        organizationId: actor.orgId,
        requestId: request.id,
        reviewerId: actor.userId,
        stage: request.currentStage,
        decision: input.decision,
        comment: input.comment ?? null,
        sqlHash: request.sqlHash,
        revision: request.revision,
      });
      await em.flush();
      const decidedStage = request.currentStage;
      if (input.decision === 'REJECT') request.status = 'REJECTED';
      else if (input.decision === 'REQUEST_CHANGES') request.status = 'CHANGES_REQUESTED';
      else {
        // Only approvals of this revision count: a revision starts the review again, even back to an earlier text.
        const approvals = await em.count(ReviewDecisionEntity, { requestId: request.id, stage: decidedStage, decision: 'APPROVE', revision: request.revision });
        if (approvals >= request.plan.minApprovalsRequired) {
          const lastStage = Math.max(1, ...request.plan.approvers.map((a) => a.stage));
          if (decidedStage < lastStage) request.currentStage = decidedStage + 1;
          else request.status = 'APPROVED';
        }
      }
      const by = auditOriginOf(actor, origin);
      await this.audit.append(em, actor.orgId, by, {
        action: 'QUERY_DECISION',
        targetType: 'QueryRequest',
        targetId: request.id,
        metadata: { decision: input.decision, stage: decidedStage, comment: input.comment ?? null, sqlHash: request.sqlHash, status: request.status },
      });
      if (request.status !== 'PENDING_REVIEW') {
        await this.audit.append(em, actor.orgId, by, {
          action: request.status === 'APPROVED' ? 'QUERY_APPROVED' : 'QUERY_REJECTED',
          targetType: 'QueryRequest',
          targetId: request.id,
          metadata: { decision: { verdict: request.status, reason: `${input.decision} by a reviewer at stage ${decidedStage}`, decidedBy: 'REVIEWER', reviewerId: actor.userId } },
        });
      }
      return request;
    });
    this.publish(request);
    return request;
  }

  /**
   * One decision on several requests (the review queue's bulk action): each is decided in its own transaction
   * with every rule of `decide`, so one that fails (not eligible, decided meanwhile …) leaves the others decided.
   */
  async decideMany(
    actor: Actor,
    origin: Origin,
    input: Omit<DecideInput, 'requestId' | 'sqlHash'> & { requestIds: readonly string[]; sqlHashes?: readonly string[] | null },
  ): Promise<BulkDecisionOutcome[]> {
    if (input.sqlHashes && input.sqlHashes.length !== input.requestIds.length) {
      throw new ValidationError('sqlHashes: one per request id, in the same order', [{ path: 'sqlHashes', message: 'one per request id, in the same order' }]);
    }
    const hashes = new Map(input.sqlHashes ? input.requestIds.map((id, i) => [id, input.sqlHashes![i]!] as const) : []);
    const outcomes: BulkDecisionOutcome[] = [];
    for (const requestId of new Set(input.requestIds)) {
      try {
        const decided = await this.decide(actor, origin, { requestId, decision: input.decision, comment: input.comment ?? null, sqlHash: hashes.get(requestId) ?? null });
        outcomes.push({ requestId, request: decided, error: null });
      } catch (error) {
        if (!(error instanceof DomainError) || error instanceof ValidationError) throw error;
        outcomes.push({ requestId, request: null, error });
      }
    }
    return outcomes;
  }

  /**
   * How many rows a write would touch, without running it: each statement's count query (built from its parse
   * tree and proven read-only), filtered by the submitter's row security as the write would be, run in a READ
   * ONLY transaction. Counts are of the data as it is now; for a batch, each statement is counted on its own.
   */
  async previewImpact(actor: Actor, origin: Origin, id: string): Promise<ImpactPreview> {
    const read = await this.store.tenant(actor.orgId, async (em) => {
      const request = await em.findOne(QueryRequestEntity, { id });
      if (!request || (!this.mayView(actor, request) && !roleHas(actor.role, 'QUERY_REVIEW'))) throw new NotFoundError('QueryRequest', id);
      if (request.readOnly) throw new ConflictError('the request only reads: it changes no rows');
      if (request.status !== 'PENDING_REVIEW' && request.status !== 'APPROVED') {
        throw new ConflictError(`the request is ${request.status}: only a write waiting for review or to run is previewed`);
      }
      // The counts are reads of the submitter's statement: they must still be allowed to run it, and to read.
      const submitter = await em.findOne(UserEntity, { id: request.submittedById });
      if (!submitter?.active) throw new ForbiddenError('the submitter is deactivated');
      const admitted = await this.readForRun(em, scheduledActor(submitter), request);
      if (!admitted.access.canRead) throw new ForbiddenError(`the submitter's grants on "${admitted.datasource.name}" do not allow reads, which a count is`);
      return { request, datasource: admitted.datasource, predicates: admitted.predicates, classification: admitted.classification };
    });
    const { request, datasource, predicates, classification } = read;
    const texts = classification.transactional ? classification.statements.map((s) => s.text) : [request.sqlText];
    const statements: ImpactPreview['statements'] = [];
    for (const text of texts) {
      const query = await impactOf(datasource.dbType, text, await classify(datasource.dbType, text));
      if (query.kind === 'KNOWN') {
        statements.push({ text, rows: query.rows, upperBound: query.upperBound, countSql: null });
        continue;
      }
      const count = await classify(datasource.dbType, query.sql);
      const bound = await filtered(datasource, count, query.sql, predicates);
      try {
        const result = await engineFor(datasource.dbType).execute(datasource.id, this.datasources.connectionSpec(datasource), { statements: bound.statements, readOnly: true, maxRows: 1 });
        statements.push({ text, rows: Number(result.rows[0]?.[0] ?? 0), upperBound: query.upperBound, countSql: query.sql });
      } catch (error) {
        if (error instanceof EngineError) throw new QueryRejectedError('PREVIEW_FAILED', `the database could not count the rows: ${error.message}`);
        throw error;
      }
    }
    const preview = { requestId: id, statements, totalRows: statements.reduce((sum, s) => sum + s.rows, 0) };
    await this.store.tenant(actor.orgId, (em) =>
      this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'QUERY_IMPACT_PREVIEWED',
        targetType: 'QueryRequest',
        targetId: id,
        metadata: { sqlHash: request.sqlHash, rows: statements.map((s) => s.rows), upperBound: statements.some((s) => s.upperBound) },
      }),
    );
    return preview;
  }

  async cancel(actor: Actor, origin: Origin, id: string, asGroupMember = false): Promise<QueryRequest> {
    const request = await this.store.tenant(actor.orgId, async (em) => {
      const request = await this.lock(em, actor, id);
      assertGroupPath(request, asGroupMember);
      if (request.submittedById !== actor.userId) throw new ForbiddenError('only the submitter may cancel a request');
      if (!OPEN.includes(request.status)) throw new ConflictError(`the request is ${request.status} and can no longer be cancelled`);
      request.status = 'CANCELLED';
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), { action: 'QUERY_CANCELLED', targetType: 'QueryRequest', targetId: id });
      return request;
    });
    this.publish(request);
    return request;
  }

  /** Runs an approved request with AccessFlow's credentials; the submitter only. */
  async execute(actor: Actor, origin: Origin, id: string, asGroupMember = false): Promise<QueryRequest> {
    const by = auditOriginOf(actor, origin);
    const claim = await this.store.tenant(actor.orgId, async (em) => {
      const request = await this.lock(em, actor, id);
      assertGroupPath(request, asGroupMember);
      if (request.submittedById !== actor.userId) throw new ForbiddenError('only the submitter may execute a request');
      if (request.status !== 'APPROVED') throw new ConflictError(`the request is ${request.status}, not APPROVED`);
      if (request.scheduledFor && request.scheduledFor > new Date()) throw new ConflictError(`the request is scheduled for ${request.scheduledFor.toISOString()}`);
      return this.claim(em, actor, by, await this.readForRun(em, actor, request));
    });
    return this.run(actor.orgId, by, claim);
  }

  /**
   * What a run needs, read again at run time: the submitter's role and grants may have changed since approval,
   * and a run they no longer admit is refused rather than executed with stale rights.
   */
  private async readForRun(em: EntityManager, actor: Actor, request: QueryRequest): Promise<Omit<Claim, 'policies'>> {
    const datasource = await em.findOne(DatasourceEntity, { id: request.datasourceId });
    if (!datasource) throw new NotFoundError('Datasource', request.datasourceId);
    if (!datasource.active) throw new ConflictError(`datasource "${datasource.name}" is inactive`);
    const classification = await classify(datasource.dbType, request.sqlText);
    assertRoleMay(actor.role, classification);
    const groupIds = await groupIdsOf(em, actor.userId);
    const access = await accessOf(this.grants, em, actor, groupIds, datasource);
    assertAllowed(access, classification, datasource);
    const predicates = await this.rowSecurity.predicatesFor(em, datasource.id, actor.userId, groupIds);
    return { request, datasource, classification, access, groupIds, predicates };
  }

  /**
   * Background work on requests (run by the job runner on every replica): scheduled runs that are due, and
   * reviews past their plan's approval timeout. Each row is claimed under its own lock with SKIP LOCKED and its
   * status re-checked, so replicas sweeping at once act on each request exactly once; the state lives in the
   * store, so a restart loses nothing. Returns when the next such moment is, for the runner's timer.
   */
  async processDue(now = new Date()): Promise<{ started: number; timedOut: number; nextDueAt: Date | null }> {
    const due = await this.store.system((em) =>
      em.execute<{ id: string; organization_id: string; status: QueryStatus }[]>(
        `select id, organization_id, status from query_requests
          where (status = 'APPROVED' and scheduled_for <= ?) or (status in ('PENDING_AI', 'PENDING_REVIEW') and review_deadline <= ?)
          order by coalesce(scheduled_for, review_deadline) limit ?`,
        [now, now, DUE_BATCH],
      ),
    );
    let started = 0;
    let timedOut = 0;
    for (const { id, organization_id: orgId, status } of due) {
      if (status === 'APPROVED') started += (await this.runScheduled(orgId, id, now)) ? 1 : 0;
      else timedOut += (await this.timeOut(orgId, id, now)) ? 1 : 0;
    }
    const [next] = await this.store.system((em) =>
      em.execute<{ due: Date | string | null }[]>(
        `select least(
           (select min(scheduled_for) from query_requests where status = 'APPROVED' and scheduled_for is not null),
           (select min(review_deadline) from query_requests where status in ('PENDING_AI', 'PENDING_REVIEW'))) as due`,
      ),
    );
    return { started, timedOut, nextDueAt: next?.due ? new Date(next.due) : null };
  }

  /** A due scheduled request, run for its submitter with their current rights; false when another replica has it. */
  private async runScheduled(orgId: string, id: string, now: Date): Promise<boolean> {
    const claimed = await this.store.tenant(orgId, async (em) => {
      const request = await em.findOne(QueryRequestEntity, { id, status: 'APPROVED', scheduledFor: { $lte: now } }, { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE });
      if (!request) return null;
      const submitter = await em.findOne(UserEntity, { id: request.submittedById });
      try {
        if (!submitter?.active) throw new ForbiddenError('the submitter is deactivated');
        const actor = scheduledActor(submitter);
        return { actor, claim: await this.claim(em, actor, SCHEDULER, await this.readForRun(em, actor, request)) };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        // Refused at run time (rights revoked, datasource gone or inactive …): the request fails, visibly.
        request.status = 'FAILED';
        request.error = `the scheduled run was refused: ${error.message}`;
        await this.audit.append(em, orgId, SCHEDULER, { action: 'QUERY_FAILED', targetType: 'QueryRequest', targetId: id, metadata: { error: request.error, scheduled: true } });
        this.store.afterCommit(em, () => this.publish(request));
        return null;
      }
    });
    if (!claimed) return false;
    await this.run(orgId, SCHEDULER, claimed.claim);
    return true;
  }

  /**
   * A member that timed out ends its request group as a rejection would: the group is REJECTED and its members
   * still waiting are CANCELLED, each audited, so nothing is left approved that can never run.
   */
  private async endGroupOfTimedOut(em: EntityManager, orgId: string, member: QueryRequest): Promise<void> {
    const group = await em.findOne(RequestGroupEntity, { id: member.groupId!, status: 'PENDING_REVIEW' }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!group) return;
    group.status = 'REJECTED';
    await this.audit.append(em, orgId, SCHEDULER, { action: 'REQUEST_GROUP_REJECTED', targetType: 'RequestGroup', targetId: group.id, metadata: { reason: `member ${member.id} timed out` } });
    const waiting = await em.find(QueryRequestEntity, { groupId: group.id, id: { $ne: member.id }, status: { $in: ['PENDING_REVIEW', 'APPROVED'] } }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    for (const other of waiting) {
      other.status = 'CANCELLED';
      await this.audit.append(em, orgId, SCHEDULER, { action: 'QUERY_CANCELLED', targetType: 'QueryRequest', targetId: other.id, metadata: { reason: 'its request group ended: a member timed out' } });
      this.store.afterCommit(em, () => this.publish(other));
    }
  }

  /** A review past its plan's approval timeout becomes TIMED_OUT; false when it was decided meanwhile. */
  private async timeOut(orgId: string, id: string, now: Date): Promise<boolean> {
    return this.store.tenant(orgId, async (em) => {
      const request = await em.findOne(
        QueryRequestEntity,
        { id, status: { $in: ['PENDING_AI', 'PENDING_REVIEW'] }, reviewDeadline: { $lte: now } },
        { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
      );
      if (!request) return false;
      request.status = 'TIMED_OUT';
      request.decisionReason = `no decision within ${request.plan.approvalTimeoutHours} h`;
      await this.audit.append(em, orgId, SCHEDULER, {
        action: 'QUERY_TIMED_OUT',
        targetType: 'QueryRequest',
        targetId: id,
        metadata: { decision: { verdict: 'TIMED_OUT', reason: request.decisionReason, decidedBy: 'APPROVAL_TIMEOUT' } },
      });
      this.store.afterCommit(em, () => this.publish(request));
      if (request.groupId) await this.endGroupOfTimedOut(em, orgId, request);
      return true;
    });
  }

  /** APPROVED → EXECUTING inside the caller's transaction (the row is new or locked), with what the run needs. */
  private async claim(em: EntityManager, actor: Actor, by: AuditOrigin, read: Omit<Claim, 'policies'>): Promise<Claim> {
    const { request, datasource, groupIds } = read;
    request.status = 'EXECUTING';
    const policies = await this.masking.policiesFor(em, datasource.id, { userId: actor.userId, role: actor.role, groupIds });
    await this.audit.append(em, actor.orgId, by, { action: 'QUERY_EXECUTION_STARTED', targetType: 'QueryRequest', targetId: request.id });
    this.store.afterCommit(em, () => this.publish(request));
    return { ...read, policies };
  }

  /** Runs a claimed request on its engine, then records EXECUTED (masked result) or FAILED (the database's error). */
  private async run(orgId: string, by: AuditOrigin, claim: Claim): Promise<QueryRequest> {
    const ran = await this.runOnEngine(claim, claim.request.sqlText);
    const finished = await this.store.tenant(orgId, async (em) => {
      const row = await em.findOneOrFail(QueryRequestEntity, { id: claim.request.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      await this.recordRun(em, orgId, by, row, claim, ran);
      return row;
    });
    this.publish(finished);
    return finished;
  }

  /** Runs a statement admitted for a run on its engine; a database's refusal is an outcome, not an exception. */
  private async runOnEngine({ datasource, classification, access, predicates, rowSecured }: Runnable, sqlText: string): Promise<RunOutcome> {
    // FEATURES B3: a proven read goes to the replica when there is one; a replica that cannot be reached (not a
    // statement that fails there) sends it to the primary, and the fallback is audited with the run.
    let target: RunOutcome['target'] = { on: 'PRIMARY', replicaError: null };
    try {
      const rewritten = rowSecured ?? (await filtered(datasource, classification, sqlText, predicates));
      if (predicates.length > 0) await refuseViewsOverRowSecured(datasource, classification, predicates, this.datasources.connectionSpec(datasource));
      const maxRows = Math.min(access.maxRows ?? datasource.maxRowsPerQuery, datasource.maxRowsPerQuery);
      // The named relations go along so the engine can say which are views and what those read (for masking).
      const execution = { statements: rewritten.statements, readOnly: classification.readOnly, maxRows, relations: classification.writtenTables };
      const engine = engineFor(datasource.dbType);
      const replica = classification.readOnly ? this.datasources.replicaSpec(datasource) : null;
      let result: ExecutionResult | null = null;
      if (replica) {
        try {
          result = await engine.execute(`${datasource.id}:replica`, replica, execution);
          target = { on: 'REPLICA', replicaError: null };
        } catch (error) {
          if (!(error instanceof EngineError) || (error.kind !== 'CONNECTION' && error.kind !== 'AUTHENTICATION')) throw error;
          target = { on: 'PRIMARY', replicaError: error.message };
        }
      }
      result ??= await engine.execute(datasource.id, this.datasources.connectionSpec(datasource), execution);
      return { result, rowSecurityPolicyIds: rewritten.appliedPolicyIds, target };
    } catch (error) {
      if (!(error instanceof EngineError) && !(error instanceof DomainError)) throw error;
      return { error: error.message, target };
    }
  }

  /** Records a run on its request row (EXECUTED with the masked result, or FAILED) inside the caller's transaction. */
  private async recordRun(em: EntityManager, orgId: string, by: AuditOrigin, row: QueryRequest, { datasource, classification, access, policies }: Runnable, ran: RunOutcome): Promise<void> {
    const id = row.id;
    row.executedAt = new Date();
    if ('error' in ran) {
      row.status = 'FAILED';
      row.error = ran.error;
      await this.audit.append(em, orgId, by, { action: 'QUERY_FAILED', targetType: 'QueryRequest', targetId: id, metadata: { error: ran.error } });
      return;
    }
    if (ran.target.replicaError !== null) {
      await this.audit.append(em, orgId, by, {
        action: 'QUERY_REPLICA_FALLBACK',
        targetType: 'QueryRequest',
        targetId: id,
        metadata: { datasourceId: datasource.id, replicaHost: datasource.replicaHost, error: ran.target.replicaError },
      });
    }
    const masked = maskResult(ran.result, classification, access, policies, this.maskingKey);
    row.status = 'EXECUTED';
    row.executedOn = ran.target.on;
    row.rowsAffected = ran.result.rowsAffected;
    row.durationMs = Math.round(ran.result.durationMs);
    row.result = { columns: ran.result.columns.map(({ name, type }) => ({ name, type })), rows: masked.rows, rowCount: masked.rows.length, truncated: ran.result.truncated };
    await this.audit.append(em, orgId, by, {
      action: 'QUERY_EXECUTED',
      targetType: 'QueryRequest',
      targetId: id,
      metadata: {
        rowCount: masked.rows.length,
        truncated: ran.result.truncated,
        rowsAffected: ran.result.rowsAffected,
        durationMs: row.durationMs,
        executedOn: ran.target.on,
        maskingPolicyIds: masked.appliedPolicyIds,
        maskedColumns: masked.maskedColumns,
        rowSecurityPolicyIds: ran.rowSecurityPolicyIds,
      },
    });
  }

  /**
   * Requests left EXECUTING by a server that stopped mid-run become FAILED. A live run always ends within its
   * statement timeout plus the engine's grace, so a run older than that (plus a margin) has no one to finish it;
   * the condition is re-checked under the row lock, so replicas sweeping at once fail each request once.
   */
  async recoverAbandoned(): Promise<number> {
    const abandoned = await this.store.system((em) =>
      em.execute<{ id: string; organization_id: string }[]>(
        `select r.id, r.organization_id from query_requests r join datasources d on d.id = r.datasource_id
          where r.status = 'EXECUTING' and r.updated_at < now() - (d.statement_timeout_seconds + ?) * interval '1 second'`,
        [ABANDONED_MARGIN_SECONDS],
      ),
    );
    for (const { id, organization_id: orgId } of abandoned) {
      await this.store.tenant(orgId, async (em) => {
        const request = await em.findOne(QueryRequestEntity, { id, status: 'EXECUTING' }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (!request) return;
        request.status = 'FAILED';
        request.error = 'the server running this request stopped before it finished; whether the statement took effect is unknown';
        await this.audit.append(em, orgId, SCHEDULER, {
          action: 'QUERY_FAILED',
          targetType: 'QueryRequest',
          targetId: id,
          metadata: { error: request.error, recovered: true },
        });
        this.store.afterCommit(em, () => this.publish(request));
      });
    }
    return abandoned.length;
  }

  /**
   * The latest earlier run of the same statement (same canonical text) on the same datasource that the caller
   * may see, for comparing results; null when there is none.
   */
  async previousRun(actor: Actor, request: QueryRequest): Promise<QueryRequest | null> {
    if (!request.canonicalHash) return null;
    const mine = !roleHas(actor.role, 'QUERY_VIEW_ALL');
    return this.store.tenant(actor.orgId, (em) =>
      em.findOne(
        QueryRequestEntity,
        {
          datasourceId: request.datasourceId,
          canonicalHash: request.canonicalHash,
          status: 'EXECUTED',
          id: { $ne: request.id },
          executedAt: { $lt: request.executedAt ?? new Date() },
          ...(mine ? { submittedById: actor.userId } : {}),
        },
        { orderBy: { executedAt: 'desc' } },
      ),
    );
  }

  mayView(actor: Actor, request: QueryRequest): boolean {
    return request.submittedById === actor.userId || roleHas(actor.role, 'QUERY_VIEW_ALL');
  }

  private async findByClientId(actor: Actor, clientRequestId: string): Promise<QueryRequest | null> {
    return this.store.tenant(actor.orgId, (em) => em.findOne(QueryRequestEntity, { submittedById: actor.userId, clientRequestId }));
  }

  private async lock(em: EntityManager, actor: Actor, id: string): Promise<QueryRequest> {
    const request = await em.findOne(QueryRequestEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!request || (!this.mayView(actor, request) && !roleHas(actor.role, 'QUERY_REVIEW'))) throw new NotFoundError('QueryRequest', id);
    return request;
  }

  private publish(request: QueryRequest): void {
    void this.bus.publish(requestTopic(request.id), { id: request.id, status: request.status });
    void this.bus.publish(reviewQueueTopic(request.organizationId), { id: request.id, status: request.status });
    if (request.status === 'APPROVED' && request.scheduledFor) void this.bus.publish(DUE_TOPIC, { id: request.id });
    if (request.status === 'PENDING_AI') void this.bus.publish(AI_REVIEW_TOPIC, { id: request.id });
  }

  /**
   * The AI review hook (FEATURES E2), inside the AI review job's transaction with the request locked and still
   * PENDING_AI: judged again for its submitter with their current rights and the organization's current
   * configuration, with the model's verdict joined to the rules' risk, and routed exactly as a submission is.
   * Refused now (rights revoked, submitter deactivated …) → REJECTED with the reason.
   */
  async continueAfterAiReview(em: EntityManager, request: QueryRequest, verdict: AiVerdict): Promise<void> {
    const orgId = request.organizationId;
    const submitter = await em.findOne(UserEntity, { id: request.submittedById });
    try {
      if (!submitter?.active) throw new ForbiddenError('the submitter is deactivated');
      const actor = scheduledActor(submitter);
      const inputs = await this.readAdmissionInputs(em, actor, request.datasourceId, await this.audit.lockChain(em, orgId));
      const assessed = await this.assess(inputs, actor, { ipAddress: null, userAgent: null, ci: request.cicdOrigin }, request.sqlText, verdict);
      em.assign(request, assessedFields(request.sqlText, assessed));
      await this.recordAssessment(em, orgId, SCHEDULER, request.id, assessed);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      request.status = 'REJECTED';
      request.decisionReason = `refused after the AI review: ${error.message}`;
      await this.audit.append(em, orgId, SCHEDULER, { action: 'QUERY_REJECTED', targetType: 'QueryRequest', targetId: request.id, metadata: { decision: { verdict: 'REJECTED', reason: request.decisionReason, decidedBy: 'ADMISSION' } } });
    }
    this.store.afterCommit(em, () => this.publish(request));
  }
}

/** The organization's requests per day (a quota of 0 is unlimited). */
async function assertDailyQuota(em: EntityManager, maxQueriesPerDay: number): Promise<void> {
  if (maxQueriesPerDay > 0) {
    const since = new Date(Date.now() - 86_400_000);
    assertWithinQuota('maxQueriesPerDay', maxQueriesPerDay, await em.count(QueryRequestEntity, { createdAt: { $gte: since } }));
  }
}

/** Canonical hashes of recent texts (a function of engine and text alone, like their classification). */
const canonicalHashes = new LRUCache<string, { hash: string | null }>({ max: 2_000, maxSize: 4_000_000, sizeCalculation: (_, key) => key.length + 64 });

/** Only for finding earlier runs of the same statement: a text the printer cannot handle just has none. */
async function canonicalHashOf(dbType: Datasource['dbType'], query: string): Promise<string | null> {
  const key = `${dbType}\u0000${query}`;
  const kept = canonicalHashes.get(key);
  if (kept) return kept.hash;
  let hash: string | null;
  try {
    hash = sha256(await canonicalSql(dbType, query));
  } catch {
    hash = null;
  }
  canonicalHashes.set(key, { hash });
  return hash;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The statements to run, filtered by the row-security predicates; a shape that cannot be filtered is refused. */
/**
 * Row security rewrites the tables a statement names; a view hides the tables it reads, so a statement that names a
 * view reading a row-secured table (or a view whose reads are not known, on MySQL/MariaDB) is refused, never run
 * unfiltered. Looked up on the target just before the run, only when row security applies to the caller.
 */
async function refuseViewsOverRowSecured(datasource: Datasource, c: Classification, predicates: RowPredicate[], spec: ConnectionSpec): Promise<void> {
  if (c.writtenTables.length === 0) return;
  const reads = await engineFor(datasource.dbType).viewReads(datasource.id, spec, c.writtenTables);
  if (reads.views.length === 0) return;
  const views = reads.views.map((v) => displayTable(v.schema, v.name)).join(', ');
  if (reads.relations === null) {
    throw new QueryRejectedError('ROW_SECURITY_UNREWRITABLE', `${views} is a view, and what it reads is not known here while row security applies to you: query its tables instead`);
  }
  const index = new PredicateIndex(predicates, defaultSchemaOf(datasource), true);
  const secured = reads.relations.find((r) => index.forTable(r.schema, r.name).length > 0);
  if (secured) {
    throw new QueryRejectedError(
      'ROW_SECURITY_UNREWRITABLE',
      `the view ${views} reads the row-secured table ${displayTable(secured.schema, secured.name)}, which row security cannot filter through a view: query the table itself`,
    );
  }
}

async function filtered(datasource: Datasource, c: Classification, sql: string, predicates: RowPredicate[]) {
  // A function of unknown effect may read a row-secured table, which the rewrite cannot see into.
  if (predicates.length > 0 && c.opaqueCalls.length > 0) {
    throw new QueryRejectedError(
      'ROW_SECURITY_UNREWRITABLE',
      `${c.opaqueCalls.join(', ')} may read tables that row security, which applies to you here, cannot see into: use only functions known to be side-effect free`,
    );
  }
  const texts = c.transactional ? c.statements.map((s) => s.text) : [sql];
  try {
    return await rewriteForRowSecurity(datasource.dbType, texts, predicates, defaultSchemaOf(datasource));
  } catch (error) {
    if (error instanceof RowSecurityUnrewritable) throw new QueryRejectedError('ROW_SECURITY_UNREWRITABLE', error.reason);
    throw error;
  }
}

function routeByPlan(
  c: Classification,
  level: (typeof RISK_LEVELS)[number],
  plan: Awaited<ReturnType<typeof reviewPlanOf>>,
  datasource: Datasource,
): { status: QueryStatus; reason: string } {
  if (!plan.requiresHumanApproval) return { status: 'APPROVED', reason: 'the review plan requires no human approval' };
  if (c.readOnly) {
    if (!datasource.requireReviewReads && plan.autoApproveReads && RISK_LEVELS.indexOf(level) <= RISK_LEVELS.indexOf(plan.autoApproveMaxRiskLevel)) {
      return { status: 'APPROVED', reason: `read at ${level} risk, auto-approved up to ${plan.autoApproveMaxRiskLevel}` };
    }
    return { status: 'PENDING_REVIEW', reason: datasource.requireReviewReads ? 'the datasource requires review of reads' : `read at ${level} risk needs review` };
  }
  if (!datasource.requireReviewWrites && c.type !== 'DDL') return { status: 'APPROVED', reason: 'the datasource does not require review of writes' };
  return { status: 'PENDING_REVIEW', reason: `${c.type} needs review` };
}

/** A member of a request group is decided, run and cancelled with its group, never on its own. */
function assertGroupPath(request: QueryRequest, asGroupMember: boolean): void {
  if (request.groupId && !asGroupMember) throw new ConflictError('this request is part of a request group: decide, run or cancel the group');
}

/** The approvers of the request's current stage. */
export function stageApprovers(request: QueryRequest): Approver[] {
  return request.plan.approvers.filter((a) => a.stage === request.currentStage);
}



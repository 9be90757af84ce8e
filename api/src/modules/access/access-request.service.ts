/**
 * Just-in-time access (FEATURES C10): request → stage-by-stage approval by the datasource's reviewers (admins
 * may always decide, so no request waits for an approver nobody configured; nobody decides their own) → a
 * time-boxed grant that ends by itself (checked at every use, and marked EXPIRED by a job) or is revoked early.
 */
import { LockMode } from '@mikro-orm/core';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import type { EntityManager } from '../../store/store.ts';
import { AuditedService } from '../audit/audited-service.ts';
import { auditOriginOf, type AuditOrigin } from '../audit/audit.service.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import type { Grant } from '../grants/grant.entity.ts';
import { groupIdsOf } from '../groups/memberships.ts';
import { roleHas } from '../identity/permissions.ts';
import { eligibleApprover, reviewPlanOf } from '../review/approvers.ts';
import { AccessDecisionEntity, AccessRequestEntity, type AccessRequest, type AccessRequestStatus } from './access-request.entity.ts';

/** The window a request may ask for (the seed's defaults, PT15M … P30D). */
export const MIN_DURATION_MINUTES = 15;
export const MAX_DURATION_MINUTES = 30 * 24 * 60;
const DUE_BATCH = 100;
const SYSTEM: AuditOrigin = { actorId: null, actorType: 'SYSTEM', ipAddress: null, userAgent: null, source: 'SYSTEM' };

export interface RequestAccessInput {
  datasourceId: string;
  canRead?: boolean | null;
  canWrite?: boolean | null;
  canDdl?: boolean | null;
  allowedSchemas?: string[] | null;
  allowedTables?: string[] | null;
  durationMinutes: number;
  justification: string;
}

export class AccessRequestService extends AuditedService {
  async request(actor: Actor, origin: Origin, input: RequestAccessInput): Promise<AccessRequest> {
    return this.store.tenant(actor.orgId, async (em) => {
      const datasource = await em.findOne(DatasourceEntity, { id: input.datasourceId });
      if (!datasource) throw new NotFoundError('Datasource', input.datasourceId);
      const issues = [];
      if (!input.canRead && !input.canWrite && !input.canDdl) issues.push({ path: 'canRead', message: 'ask for at least one of canRead, canWrite, canDdl' });
      if (!Number.isInteger(input.durationMinutes) || input.durationMinutes < MIN_DURATION_MINUTES || input.durationMinutes > MAX_DURATION_MINUTES) {
        issues.push({ path: 'durationMinutes', message: `must be ${MIN_DURATION_MINUTES} minutes to 30 days (${MAX_DURATION_MINUTES} minutes)` });
      }
      if (!input.justification.trim()) issues.push({ path: 'justification', message: 'required' });
      if (issues.length > 0) throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
      const plan = await reviewPlanOf(em, datasource);
      // Kept as written: a grant reads names by the datasource's rule (quoted PostgreSQL names keep their case).
      const written = (list: string[] | null | undefined) => (list ? [...new Set(list.map((v) => v.trim()).filter(Boolean))] : null);
      const request = em.create(AccessRequestEntity, {
        organizationId: actor.orgId,
        requesterId: actor.userId,
        datasourceId: datasource.id,
        canRead: input.canRead ?? false,
        canWrite: input.canWrite ?? false,
        canDdl: input.canDdl ?? false,
        allowedSchemas: written(input.allowedSchemas),
        allowedTables: written(input.allowedTables),
        durationMinutes: input.durationMinutes,
        justification: input.justification.trim(),
        status: 'PENDING',
        approvers: plan.approvers,
        minApprovalsRequired: plan.minApprovalsRequired,
      });
      await em.flush();
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'ACCESS_REQUESTED',
        targetType: 'AccessRequest',
        targetId: request.id,
        metadata: { datasourceId: datasource.id, canRead: request.canRead, canWrite: request.canWrite, canDdl: request.canDdl, durationMinutes: request.durationMinutes },
      });
      return request;
    });
  }

  async decide(actor: Actor, origin: Origin, input: { requestId: string; decision: 'APPROVE' | 'REJECT'; comment?: string | null }): Promise<AccessRequest> {
    if (input.decision === 'REJECT' && !input.comment?.trim()) {
      throw new ValidationError('comment: required to reject', [{ path: 'comment', message: 'required to reject' }]);
    }
    return this.store.tenant(actor.orgId, async (em) => {
      const request = await this.lock(em, actor, input.requestId);
      if (request.requesterId === actor.userId) throw new ForbiddenError('nobody approves their own access request');
      if (request.status !== 'PENDING') throw new ConflictError(`the access request is ${request.status}, not waiting for a decision`);
      const stage = request.currentStage;
      // Admins are the backstop: they may decide any stage, so a request never waits for an approver nobody set up.
      const approvers = request.approvers.filter((a) => a.stage === stage);
      if (actor.role !== 'ADMIN' && !eligibleApprover(actor, await groupIdsOf(em, actor.userId), approvers)) {
        throw new ForbiddenError(`you are not an approver of stage ${stage} of this access request`);
      }
      if (await em.count(AccessDecisionEntity, { accessRequestId: request.id, reviewerId: actor.userId, stage })) {
        throw new ConflictError(`you have already decided stage ${stage} of this access request`);
      }
      em.create(AccessDecisionEntity, { organizationId: actor.orgId, accessRequestId: request.id, reviewerId: actor.userId, stage, decision: input.decision, comment: input.comment?.trim() || null });
      await em.flush();
      let granted = false;
      if (input.decision === 'REJECT') {
        request.status = 'REJECTED';
      } else if ((await em.count(AccessDecisionEntity, { accessRequestId: request.id, stage, decision: 'APPROVE' })) >= request.minApprovalsRequired) {
        const lastStage = Math.max(1, ...request.approvers.map((a) => a.stage));
        if (stage < lastStage) {
          request.currentStage = stage + 1;
        } else {
          const now = new Date();
          em.assign(request, { status: 'APPROVED', approvedAt: now, expiresAt: new Date(now.getTime() + request.durationMinutes * 60_000) });
          granted = true;
        }
      }
      const by = auditOriginOf(actor, origin);
      await this.audit.append(em, actor.orgId, by, {
        action: 'ACCESS_DECISION',
        targetType: 'AccessRequest',
        targetId: request.id,
        metadata: { decision: input.decision, stage, comment: input.comment ?? null, status: request.status },
      });
      if (granted) {
        await this.audit.append(em, actor.orgId, by, {
          action: 'ACCESS_GRANTED',
          targetType: 'AccessRequest',
          targetId: request.id,
          metadata: { requesterId: request.requesterId, datasourceId: request.datasourceId, expiresAt: request.expiresAt!.toISOString() },
        });
      }
      return request;
    });
  }

  /** The requester withdraws a request still waiting for its decisions. */
  async cancel(actor: Actor, origin: Origin, id: string): Promise<AccessRequest> {
    return this.end(actor, origin, id, 'CANCELLED', null, (request) => {
      if (request.requesterId !== actor.userId) throw new ForbiddenError('only the requester may cancel an access request');
      if (request.status !== 'PENDING') throw new ConflictError(`the access request is ${request.status} and can no longer be cancelled`);
    });
  }

  /** An admin ends granted access before it expires. */
  async revoke(actor: Actor, origin: Origin, id: string, reason: string | null): Promise<AccessRequest> {
    return this.end(actor, origin, id, 'REVOKED', reason, (request) => {
      if (request.status !== 'APPROVED' || (request.expiresAt && request.expiresAt <= new Date())) {
        throw new ConflictError(`the access request is ${request.status === 'APPROVED' ? 'already expired' : request.status}; only active access can be revoked`);
      }
    });
  }

  /**
   * Approved access whose time is up becomes EXPIRED (audited). Access already ends at `expiresAt` wherever it is
   * checked; this records it. Each row is claimed with SKIP LOCKED, so replicas running it at once act once.
   */
  async expireDue(now = new Date()): Promise<{ expired: number; nextDueAt: Date | null }> {
    const due = await this.store.system((em) =>
      em.execute<{ id: string; organization_id: string }[]>(
        `select id, organization_id from access_requests where status = 'APPROVED' and expires_at <= ? order by expires_at limit ?`,
        [now, DUE_BATCH],
      ),
    );
    let expired = 0;
    for (const { id, organization_id: orgId } of due) {
      expired += await this.store.tenant(orgId, async (em) => {
        const request = await em.findOne(AccessRequestEntity, { id, status: 'APPROVED', expiresAt: { $lte: now } }, { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE });
        if (!request) return 0;
        em.assign(request, { status: 'EXPIRED', endedAt: now });
        await this.audit.append(em, orgId, SYSTEM, { action: 'ACCESS_EXPIRED', targetType: 'AccessRequest', targetId: id, metadata: { requesterId: request.requesterId, datasourceId: request.datasourceId } });
        return 1;
      });
    }
    const [next] = await this.store.system((em) =>
      em.execute<{ due: Date | string | null }[]>(`select min(expires_at) as due from access_requests where status = 'APPROVED'`),
    );
    return { expired, nextDueAt: next?.due ? new Date(next.due) : null };
  }

  /** Yours, or (reviewers) everyone's in your organization. */
  async get(actor: Actor, id: string): Promise<AccessRequest | null> {
    const request = await this.store.tenant(actor.orgId, (em) => em.findOne(AccessRequestEntity, { id }));
    return request && this.mayView(actor, request) ? request : null;
  }

  async list(actor: Actor, filter: { mine: boolean; status: AccessRequestStatus | null }, offset: number, limit: number): Promise<AccessRequest[]> {
    const mine = filter.mine || !roleHas(actor.role, 'QUERY_REVIEW');
    return this.store.tenant(actor.orgId, (em) =>
      em.find(
        AccessRequestEntity,
        { ...(mine ? { requesterId: actor.userId } : {}), ...(filter.status ? { status: filter.status } : {}) },
        { orderBy: { createdAt: 'desc', id: 'desc' }, offset, limit },
      ),
    );
  }

  async decisions(orgId: string, requestIds: readonly string[]) {
    const rows = await this.store.tenant(orgId, (em) => em.find(AccessDecisionEntity, { accessRequestId: { $in: [...requestIds] } }, { orderBy: { createdAt: 'asc' } }));
    return requestIds.map((id) => rows.filter((row) => row.accessRequestId === id));
  }

  private mayView(actor: Actor, request: AccessRequest): boolean {
    return request.requesterId === actor.userId || roleHas(actor.role, 'QUERY_REVIEW');
  }

  private async lock(em: EntityManager, actor: Actor, id: string): Promise<AccessRequest> {
    const request = await em.findOne(AccessRequestEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!request || !this.mayView(actor, request)) throw new NotFoundError('AccessRequest', id);
    return request;
  }

  private async end(actor: Actor, origin: Origin, id: string, status: 'CANCELLED' | 'REVOKED', reason: string | null, check: (request: AccessRequest) => void): Promise<AccessRequest> {
    return this.store.tenant(actor.orgId, async (em) => {
      const request = await this.lock(em, actor, id);
      check(request);
      em.assign(request, { status, endedAt: new Date(), endedById: actor.userId, endReason: reason?.trim() || null });
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: status === 'REVOKED' ? 'ACCESS_REVOKED' : 'ACCESS_REQUEST_CANCELLED',
        targetType: 'AccessRequest',
        targetId: id,
        metadata: { requesterId: request.requesterId, datasourceId: request.datasourceId, reason: request.endReason },
      });
      return request;
    });
  }
}

/**
 * Active just-in-time access of a user on a datasource, shaped as grants so it combines with their standing
 * grants as one more grant (the most-permissive union of FEATURES C2). It carries the standing grants' restricted
 * columns and row cap, so it never lifts either (with no standing grant, the datasource's cap applies).
 */
export async function activeAccessGrants(
  em: EntityManager,
  userId: string,
  datasourceId: string,
  standing: { restrictedColumns: string[]; maxRows: number | null },
  now = new Date(),
): Promise<Grant[]> {
  const active = await em.find(AccessRequestEntity, { requesterId: userId, datasourceId, status: 'APPROVED', expiresAt: { $gt: now } });
  return active.map((a) => ({
    id: a.id,
    organizationId: a.organizationId,
    datasourceId: a.datasourceId,
    userId: a.requesterId,
    groupId: null,
    canRead: a.canRead,
    canWrite: a.canWrite,
    canDdl: a.canDdl,
    canBreakGlass: false,
    allowedSchemas: a.allowedSchemas,
    allowedTables: a.allowedTables,
    restrictedColumns: standing.restrictedColumns,
    maxRows: standing.maxRows,
    expiresAt: a.expiresAt,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  }));
}

/**
 * Request groups (FEATURES C13): members are ordinary governed requests created together in one transaction
 * (so a member the submitter may not run means no group at all), reviewed by the union of their approvers — a
 * reviewer's group decision applies to every pending member they may decide — approved when every member is,
 * and run in order, stopping at the first failure or continuing past it. There is no distributed rollback: a
 * member that ran stays applied, and the group says PARTIALLY_EXECUTED.
 */
import { LockMode } from '@mikro-orm/core';
import type { Bus } from '../../bus/bus.ts';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import { AuditedService } from '../audit/audited-service.ts';
import { auditOriginOf, type AuditOrigin, type AuditService } from '../audit/audit.service.ts';
import { groupIdsOf } from '../groups/memberships.ts';
import { roleHas } from '../identity/permissions.ts';
import { eligibleApprover } from '../review/approvers.ts';
import { QueryRequestEntity, type Decision, type QueryRequest } from '../requests/query-request.entity.ts';
import { requestTopic, stageApprovers, type QueryRequestService } from '../requests/query-request.service.ts';
import type { EntityManager, Store } from '../../store/store.ts';
import { RequestGroupEntity, type RequestGroup, type RequestGroupStatus } from './request-group.entity.ts';

export const MAX_MEMBERS = 20;
export const requestGroupTopic = (id: string) => `request-group:${id}`;

export interface SubmitRequestGroupInput {
  name: string;
  justification?: string | null;
  failureMode?: 'STOP_ON_FAILURE' | 'CONTINUE_ON_ERROR' | null;
  members: { datasourceId: string; query: string }[];
}

export class RequestGroupService extends AuditedService {
  private readonly requests: QueryRequestService;
  private readonly bus: Bus;

  constructor(deps: { store: Store; audit: AuditService; bus: Bus; requests: QueryRequestService }) {
    super(deps.store, deps.audit);
    this.requests = deps.requests;
    this.bus = deps.bus;
  }

  async submit(actor: Actor, origin: Origin, input: SubmitRequestGroupInput): Promise<RequestGroup> {
    if (input.members.length < 1 || input.members.length > MAX_MEMBERS) {
      throw new ValidationError(`members: 1 to ${MAX_MEMBERS}`, [{ path: 'members', message: `1 to ${MAX_MEMBERS} members` }]);
    }
    if (!input.name.trim()) throw new ValidationError('name: required', [{ path: 'name', message: 'required' }]);
    const group = await this.store.tenant(actor.orgId, async (em) => {
      const group = em.create(RequestGroupEntity, {
        organizationId: actor.orgId,
        submittedById: actor.userId,
        name: input.name.trim(),
        justification: input.justification ?? null,
        failureMode: input.failureMode ?? 'STOP_ON_FAILURE',
        status: 'PENDING_REVIEW',
      });
      await em.flush();
      const members: QueryRequest[] = [];
      for (const [position, member] of input.members.entries()) {
        // Any member refused (grants, classifier, row security …) fails the whole transaction: no group.
        const { request } = await this.requests.createInTransaction(
          em,
          actor,
          origin,
          { datasourceId: member.datasourceId, query: member.query, justification: input.justification ?? null },
          { groupId: group.id, position: position + 1 },
        );
        members.push(request);
      }
      group.status = statusFromMembers(members, 'PENDING_REVIEW');
      // A member a routing policy rejected rejects the group: the others will not run.
      if (group.status === 'REJECTED') await this.cancelWaiting(em, actor.orgId, auditOriginOf(actor, origin), members, 'another member of its request group was rejected');
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'REQUEST_GROUP_SUBMITTED',
        targetType: 'RequestGroup',
        targetId: group.id,
        metadata: { name: group.name, members: members.map((m) => m.id), status: group.status, failureMode: group.failureMode },
      });
      return group;
    });
    this.announce(group);
    return group;
  }

  /**
   * A reviewer's decision on the group: it applies to every member still in review whose current stage they may
   * decide (the union of the members' approvers). A REJECT ends the group; an APPROVE approves it once every
   * member is approved.
   */
  async decide(actor: Actor, origin: Origin, input: { groupId: string; decision: Decision; comment?: string | null }): Promise<RequestGroup> {
    if (input.decision !== 'APPROVE' && !input.comment?.trim()) {
      throw new ValidationError('comment: required to reject or request changes', [{ path: 'comment', message: 'required to reject or request changes' }]);
    }
    const { group, members } = await this.read(actor, input.groupId);
    if (group.submittedById === actor.userId) throw new ForbiddenError('nobody approves their own request group');
    if (group.status !== 'PENDING_REVIEW') throw new ConflictError(`the request group is ${group.status}, not waiting for review`);
    const groupIds = await this.store.tenant(actor.orgId, (em) => groupIdsOf(em, actor.userId));
    const decisions = await this.requests.decisions(actor.orgId, members.map((m) => m.id));
    const decidable = members.filter(
      (m, i) =>
        m.status === 'PENDING_REVIEW' &&
        eligibleApprover(actor, groupIds, stageApprovers(m)) &&
        !decisions[i]!.some((d) => d.reviewerId === actor.userId && d.stage === m.currentStage && d.revision === m.revision),
    );
    if (decidable.length === 0) throw new ForbiddenError('you may not decide any member of this request group now');
    const reason = input.decision === 'APPROVE' ? null : `${input.decision} by a reviewer`;
    try {
      for (const member of decidable) {
        // A member decided by someone else meanwhile (Conflict) is skipped; the others still get this decision.
        await this.requests.decide(actor, origin, { requestId: member.id, decision: input.decision, comment: input.comment ?? null }, true).catch((error: unknown) => {
          if (!(error instanceof ConflictError)) throw error;
        });
      }
    } catch (error) {
      // Whatever was decided before the error still moves the group.
      await this.settle(actor, origin, group.id, reason);
      throw error;
    }
    return this.settle(actor, origin, group.id, reason);
  }

  /** The submitter runs an approved group: members in order, each through every check of an execution. */
  async execute(actor: Actor, origin: Origin, id: string): Promise<RequestGroup> {
    const claimed = await this.store.tenant(actor.orgId, async (em) => {
      const group = await em.findOne(RequestGroupEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!group || (group.submittedById !== actor.userId && !roleHas(actor.role, 'QUERY_VIEW_ALL'))) throw new NotFoundError('RequestGroup', id);
      if (group.submittedById !== actor.userId) throw new ForbiddenError('only the submitter may run a request group');
      if (group.status !== 'APPROVED') throw new ConflictError(`the request group is ${group.status}, not APPROVED`);
      group.status = 'EXECUTING';
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), { action: 'REQUEST_GROUP_EXECUTION_STARTED', targetType: 'RequestGroup', targetId: id });
      return group;
    });
    this.announce(claimed);
    const members = await this.membersOf(actor.orgId, id);
    try {
      await this.runMembers(actor, origin, claimed, members);
    } catch (error) {
      await this.finishRun(actor, origin, id);
      throw error;
    }
    return this.finishRun(actor, origin, id);
  }

  /** However a run ended (even by an error): no member is left waiting to run, and the group gets its outcome. */
  private async finishRun(actor: Actor, origin: Origin, id: string): Promise<RequestGroup> {
    const members = await this.membersOf(actor.orgId, id);
    for (const member of members) {
      if (member.status === 'APPROVED') await this.requests.cancel(actor, origin, member.id, true).catch(() => undefined);
    }
    const ran = members.filter((m) => m.status === 'EXECUTED').length;
    const outcome: RequestGroupStatus = ran === members.length ? 'EXECUTED' : ran > 0 ? 'PARTIALLY_EXECUTED' : 'FAILED';
    return this.settle(actor, origin, id, `${ran} of ${members.length} members ran`, outcome);
  }

  private async runMembers(actor: Actor, origin: Origin, claimed: RequestGroup, members: QueryRequest[]): Promise<void> {
    let stopped = false;
    for (const member of members) {
      if (stopped) {
        await this.requests.cancel(actor, origin, member.id, true);
      } else {
        const executed = await this.requests.execute(actor, origin, member.id, true).then(
          (ran) => ran.status === 'EXECUTED',
          async (error: unknown) => {
            // Refused at run time (rights revoked since approval …): it did not run, and will not.
            if (!(error instanceof DomainError)) throw error;
            await this.requests.cancel(actor, origin, member.id, true);
            return false;
          },
        );
        if (!executed && claimed.failureMode === 'STOP_ON_FAILURE') stopped = true;
      }
      this.announce(claimed);
    }
  }

  /** The submitter withdraws a group before it runs; its members are cancelled with it. */
  async cancel(actor: Actor, origin: Origin, id: string): Promise<RequestGroup> {
    // The group changes state first, under its lock: an execute racing this one finds it CANCELLED, or wins.
    const group = await this.store.tenant(actor.orgId, async (em) => {
      const group = await em.findOne(RequestGroupEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!group || !this.mayView(actor, group)) throw new NotFoundError('RequestGroup', id);
      if (group.submittedById !== actor.userId) throw new ForbiddenError('only the submitter may cancel a request group');
      if (group.status !== 'PENDING_REVIEW' && group.status !== 'APPROVED') throw new ConflictError(`the request group is ${group.status} and can no longer be cancelled`);
      const from = group.status;
      group.status = 'CANCELLED';
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), { action: 'REQUEST_GROUP_CANCELLED', targetType: 'RequestGroup', targetId: id, metadata: { from } });
      return group;
    });
    for (const member of await this.membersOf(actor.orgId, id)) {
      if (member.status === 'PENDING_REVIEW' || member.status === 'APPROVED') await this.requests.cancel(actor, origin, member.id, true);
    }
    this.announce(group);
    return group;
  }

  async get(actor: Actor, id: string): Promise<RequestGroup | null> {
    const group = await this.store.tenant(actor.orgId, (em) => em.findOne(RequestGroupEntity, { id }));
    return group && this.mayView(actor, group) ? group : null;
  }

  async list(actor: Actor, offset: number, limit: number): Promise<RequestGroup[]> {
    const mine = !roleHas(actor.role, 'QUERY_VIEW_ALL');
    return this.store.tenant(actor.orgId, (em) =>
      em.find(RequestGroupEntity, mine ? { submittedById: actor.userId } : {}, { orderBy: { createdAt: 'desc', id: 'desc' }, offset, limit }),
    );
  }

  membersOf(orgId: string, groupId: string): Promise<QueryRequest[]> {
    return this.store.tenant(orgId, (em) => em.find(QueryRequestEntity, { groupId }, { orderBy: { groupPosition: 'asc' } }));
  }

  private mayView(actor: Actor, group: RequestGroup): boolean {
    return group.submittedById === actor.userId || roleHas(actor.role, 'QUERY_VIEW_ALL');
  }

  private async read(actor: Actor, id: string): Promise<{ group: RequestGroup; members: QueryRequest[] }> {
    const group = await this.get(actor, id);
    if (!group) throw new NotFoundError('RequestGroup', id);
    return { group, members: await this.membersOf(actor.orgId, id) };
  }

  /**
   * Brings the group's status in line with its members (under the group's lock), cancelling members that can no
   * longer run once the group is rejected, and audits a change.
   */
  private async settle(actor: Actor, origin: Origin, id: string, reason: string | null, forced?: Exclude<RequestGroupStatus, 'CANCELLED'>): Promise<RequestGroup> {
    const group = await this.store.tenant(actor.orgId, async (em) => {
      const group = await em.findOneOrFail(RequestGroupEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const members = await em.find(QueryRequestEntity, { groupId: id }, { orderBy: { groupPosition: 'asc' } });
      const before = group.status;
      // An execution outcome replaces EXECUTING only; anything else follows the members.
      group.status = forced && before === 'EXECUTING' ? forced : statusFromMembers(members, group.status);
      if (group.status === 'REJECTED') await this.cancelWaiting(em, actor.orgId, auditOriginOf(actor, origin), members, 'its request group was rejected');
      if (['EXECUTED', 'PARTIALLY_EXECUTED', 'FAILED'].includes(group.status)) group.executedAt = new Date();
      if (group.status !== before) {
        await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
          action: `REQUEST_GROUP_${group.status}`,
          targetType: 'RequestGroup',
          targetId: id,
          metadata: { from: before, reason, members: members.map((m) => ({ id: m.id, status: m.status })) },
        });
      }
      return group;
    });
    this.announce(group);
    return group;
  }

  /** Members still waiting become CANCELLED with their group, each audited and announced like any cancellation. */
  private async cancelWaiting(em: EntityManager, orgId: string, by: AuditOrigin, members: QueryRequest[], reason: string): Promise<void> {
    for (const member of members) {
      if (member.status !== 'PENDING_REVIEW' && member.status !== 'APPROVED') continue;
      member.status = 'CANCELLED';
      await this.audit.append(em, orgId, by, { action: 'QUERY_CANCELLED', targetType: 'QueryRequest', targetId: member.id, metadata: { reason } });
      this.store.afterCommit(em, () => void this.bus.publish(requestTopic(member.id), { id: member.id, status: member.status }));
    }
  }

  private announce(group: RequestGroup): void {
    void this.bus.publish(requestGroupTopic(group.id), { id: group.id, status: group.status });
  }
}

/**
 * Before it runs, the group's status as its members say: any member rejected, sent back for changes or timed out
 * rejects it (members are not revised one by one); all approved approve it. Once past review it stays as is.
 */
function statusFromMembers(members: readonly QueryRequest[], current: RequestGroupStatus): RequestGroupStatus {
  if (current !== 'PENDING_REVIEW') return current;
  if (members.some((m) => ['REJECTED', 'CHANGES_REQUESTED', 'TIMED_OUT'].includes(m.status))) return 'REJECTED';
  if (members.every((m) => m.status === 'APPROVED')) return 'APPROVED';
  return 'PENDING_REVIEW';
}

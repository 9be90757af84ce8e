/**
 * Who reviews what, shared by every review workflow (queries, just-in-time access): the review plan in force for
 * a datasource, and whether a reviewer may decide a stage.
 */
import type { Actor } from '../../graphql/context.ts';
import type { EntityManager } from '../../store/store.ts';
import type { Datasource } from '../datasources/datasource.entity.ts';
import { roleHas } from '../identity/permissions.ts';
import { ReviewPlanEntity, type Approver } from './review-plan.entity.ts';
import { REVIEW_PLAN_TEMPLATES } from './review-plan.service.ts';

/** The datasource's review plan as settings (the Standard template when it names none), to snapshot into a request. */
export async function reviewPlanOf(em: EntityManager, datasource: Datasource) {
  const plan = datasource.reviewPlanId ? await em.findOne(ReviewPlanEntity, { id: datasource.reviewPlanId }) : null;
  if (!plan) return { ...REVIEW_PLAN_TEMPLATES.STANDARD, name: null };
  const { name, description, requiresAiReview, requiresHumanApproval, autoApproveReads, autoApproveMaxRiskLevel, minApprovalsRequired, approvalTimeoutHours, approvers } = plan;
  return { name, description, requiresAiReview, requiresHumanApproval, autoApproveReads, autoApproveMaxRiskLevel, minApprovalsRequired, approvalTimeoutHours, approvers };
}

/** A reviewer may decide a stage when it names no approvers (any reviewer), or names their role, them, or a group of theirs. */
export function eligibleApprover(actor: Actor, groupIds: readonly string[], approvers: Approver[]): boolean {
  if (!roleHas(actor.role, 'QUERY_REVIEW')) return false;
  if (approvers.length === 0) return true;
  return approvers.some((a) => a.role === actor.role || a.userId === actor.userId || (a.groupId !== null && groupIds.includes(a.groupId)));
}

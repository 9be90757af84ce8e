/** Review plans (FEATURES C3): upsert by name within the organization, authoritative; four templates. */
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import { flushOrConflict, type EntityManager } from '../../store/store.ts';
import { auditOriginOf } from '../audit/audit.service.ts';
import { AuditedService } from '../audit/audited-service.ts';
import { UserGroupEntity } from '../groups/user-group.entity.ts';
import { UserEntity } from '../identity/user.entity.ts';
import { assertChannelsExist } from '../notifications/notification.service.ts';
import { ReviewPlanEntity, type Approver, type ReviewPlan, type RiskLevel } from './review-plan.entity.ts';

export interface ReviewPlanSettings {
  description?: string | null;
  requiresAiReview: boolean;
  requiresHumanApproval: boolean;
  autoApproveReads: boolean;
  autoApproveMaxRiskLevel: RiskLevel;
  minApprovalsRequired: number;
  approvalTimeoutHours: number;
  approvers: Approver[];
}

export type UpsertReviewPlanInput = { [K in keyof ReviewPlanSettings]?: ReviewPlanSettings[K] | null } & {
  name: string;
  /** Notification channels of the organization that hear of this plan's requests; omitted → none. */
  notifyChannelIds?: readonly string[] | null;
};

/** The seed's four starting points. Fields the input omits take these defaults (Standard). */
export const REVIEW_PLAN_TEMPLATES: Record<'STRICT' | 'STANDARD' | 'LENIENT' | 'AI_ONLY', ReviewPlanSettings> = {
  STRICT: {
    description: 'AI review and two human approvals for everything, reads included.',
    requiresAiReview: true,
    requiresHumanApproval: true,
    autoApproveReads: false,
    autoApproveMaxRiskLevel: 'LOW',
    minApprovalsRequired: 2,
    approvalTimeoutHours: 24,
    approvers: [],
  },
  STANDARD: {
    description: 'AI review; low- and medium-risk reads run at once, everything else needs one approval.',
    requiresAiReview: true,
    requiresHumanApproval: true,
    autoApproveReads: true,
    autoApproveMaxRiskLevel: 'MEDIUM',
    minApprovalsRequired: 1,
    approvalTimeoutHours: 24,
    approvers: [],
  },
  LENIENT: {
    description: 'Reads up to high risk run at once; writes need one approval.',
    requiresAiReview: true,
    requiresHumanApproval: true,
    autoApproveReads: true,
    autoApproveMaxRiskLevel: 'HIGH',
    minApprovalsRequired: 1,
    approvalTimeoutHours: 72,
    approvers: [],
  },
  AI_ONLY: {
    description: 'The AI (or rule) review decides; no human approval.',
    requiresAiReview: true,
    requiresHumanApproval: false,
    autoApproveReads: true,
    autoApproveMaxRiskLevel: 'HIGH',
    minApprovalsRequired: 1,
    approvalTimeoutHours: 24,
    approvers: [],
  },
};

export class ReviewPlanService extends AuditedService {
  /** Several by id in one transaction (missing ones are left out). */
  async getMany(actor: Actor, ids: readonly string[]): Promise<ReviewPlan[]> {
    return this.store.tenant(actor.orgId, (em) => em.find(ReviewPlanEntity, { id: { $in: [...ids] } }));
  }

  async get(actor: Actor, id: string): Promise<ReviewPlan | null> {
    return this.store.tenant(actor.orgId, (em) => em.findOne(ReviewPlanEntity, { id }));
  }

  /** By its natural key (Terraform data sources look plans up by name). */
  async getByName(actor: Actor, name: string): Promise<ReviewPlan | null> {
    return this.store.tenant(actor.orgId, (em) => em.findOne(ReviewPlanEntity, { name: name.trim() }));
  }

  async list(actor: Actor, offset: number, limit: number): Promise<ReviewPlan[]> {
    return this.store.tenant(actor.orgId, (em) => em.find(ReviewPlanEntity, {}, { orderBy: { name: 'asc', id: 'asc' }, offset, limit }));
  }

  async upsert(actor: Actor, origin: Origin, input: UpsertReviewPlanInput): Promise<ReviewPlan> {
    const { notifyChannelIds: channels, ...rest } = input;
    const notifyChannelIds = [...new Set(channels ?? [])];
    const settings = { ...REVIEW_PLAN_TEMPLATES.STANDARD, description: null, ...definedOnly(rest) } as ReviewPlanSettings;
    validateSettings(settings);
    return this.store.tenant(actor.orgId, async (em) => {
      await assertApproversExist(em, settings.approvers);
      await assertChannelsExist(em, notifyChannelIds);
      let plan = await em.findOne(ReviewPlanEntity, { name: input.name });
      const created = plan === null;
      plan ??= em.create(ReviewPlanEntity, { organizationId: actor.orgId, name: input.name });
      em.assign(plan, { ...settings, approvers: [...settings.approvers].sort((a, b) => a.stage - b.stage), notifyChannelIds });
      await flushOrConflict(em, `a review plan named "${input.name}" already exists`);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: created ? 'REVIEW_PLAN_CREATED' : 'REVIEW_PLAN_UPDATED',
        targetType: 'ReviewPlan',
        targetId: plan.id,
        metadata: { name: plan.name, ...settings, notifyChannelIds },
      });
      return plan;
    });
  }

  async delete(actor: Actor, origin: Origin, id: string): Promise<string> {
    return this.store.tenant(actor.orgId, async (em) => {
      const plan = await em.findOne(ReviewPlanEntity, { id });
      if (!plan) throw new NotFoundError('ReviewPlan', id);
      const [use] = await em.execute<{ n: string | number }[]>('select count(*) as n from datasources where review_plan_id = ?', [id]);
      if (Number(use?.n ?? 0) > 0) throw new ConflictError(`review plan "${plan.name}" is used by ${use!.n} datasource(s): reassign them first`);
      em.remove(plan);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'REVIEW_PLAN_DELETED',
        targetType: 'ReviewPlan',
        targetId: id,
        metadata: { name: plan.name },
      });
      return id;
    });
  }
}

function definedOnly<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined)) as Partial<T>;
}

function validateSettings(settings: ReviewPlanSettings): void {
  const issues: { path: string; message: string }[] = [];
  if (settings.minApprovalsRequired < 1 || settings.minApprovalsRequired > 10) issues.push({ path: 'minApprovalsRequired', message: 'must be 1 to 10' });
  if (settings.approvalTimeoutHours < 1 || settings.approvalTimeoutHours > 8760) issues.push({ path: 'approvalTimeoutHours', message: 'must be 1 to 8760' });
  settings.approvers.forEach((approver, i) => {
    const kinds = [approver.role, approver.userId, approver.groupId].filter((v) => v !== null && v !== undefined).length;
    if (kinds !== 1) issues.push({ path: `approvers.${i}`, message: 'name exactly one of role, userId or groupId' });
    if (!Number.isInteger(approver.stage) || approver.stage < 1 || approver.stage > 10) issues.push({ path: `approvers.${i}.stage`, message: 'must be 1 to 10' });
  });
  if (issues.length > 0) throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

async function assertApproversExist(em: EntityManager, approvers: Approver[]): Promise<void> {
  const userIds = approvers.flatMap((a) => (a.userId ? [a.userId] : []));
  const groupIds = approvers.flatMap((a) => (a.groupId ? [a.groupId] : []));
  const users = userIds.length ? await em.find(UserEntity, { id: { $in: userIds } }, { fields: ['id'] }) : [];
  const groups = groupIds.length ? await em.find(UserGroupEntity, { id: { $in: groupIds } }, { fields: ['id'] }) : [];
  const missing = [
    ...userIds.filter((id) => !users.some((u) => u.id === id)).map((id) => `user ${id}`),
    ...groupIds.filter((id) => !groups.some((g) => g.id === id)).map((id) => `group ${id}`),
  ];
  if (missing.length > 0) throw new ValidationError(`approvers: unknown ${missing.join(', ')}`, [{ path: 'approvers', message: `unknown ${missing.join(', ')}` }]);
}

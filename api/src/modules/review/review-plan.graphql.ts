/** GraphQL for review plans and their templates. */
import { z } from 'zod';
import { builder, naturalKey, requires } from '../../graphql/builder.ts';
import { actorOf, offsetPage } from '../../graphql/helpers.ts';
import { ROLES } from '../identity/permissions.ts';
import { RISK_LEVELS, type Approver, type ReviewPlan } from './review-plan.entity.ts';
import { REVIEW_PLAN_TEMPLATES, type ReviewPlanSettings } from './review-plan.service.ts';

export const ReviewPlanRef = builder.objectRef<ReviewPlan>('ReviewPlan');
export const RiskLevelEnum = builder.enumType('RiskLevel', { values: RISK_LEVELS });

export function defineReviewPlanSchema(): void {
  const RoleRef = builder.enumType('ApproverRole', { values: ROLES, description: 'The role an approver slot accepts.' });
  const ApproverRef = builder.objectRef<Approver>('Approver').implement({
    description: 'One approver slot of a stage: exactly one of role, userId, groupId.',
    fields: (t) => ({
      stage: t.exposeInt('stage'),
      role: t.expose('role', { type: RoleRef, nullable: true }),
      userId: t.exposeID('userId', { nullable: true }),
      groupId: t.exposeID('groupId', { nullable: true }),
    }),
  });

  // Plans and templates share their settings through one interface, so the fields are defined once.
  const SettingsInterface = builder.interfaceRef<ReviewPlanSettings>('ReviewPlanSettings').implement({
    fields: (t) => ({
      description: t.exposeString('description', { nullable: true }),
      requiresAiReview: t.exposeBoolean('requiresAiReview', { description: 'Risk review (AI, or the built-in rules) before routing.' }),
      requiresHumanApproval: t.exposeBoolean('requiresHumanApproval'),
      autoApproveReads: t.exposeBoolean('autoApproveReads'),
      autoApproveMaxRiskLevel: t.expose('autoApproveMaxRiskLevel', { type: RiskLevelEnum }),
      minApprovalsRequired: t.exposeInt('minApprovalsRequired', { description: 'Approvals each stage needs, 1–10.' }),
      approvalTimeoutHours: t.exposeInt('approvalTimeoutHours', { description: 'Pending longer than this → TIMED_OUT; 1–8760.' }),
      approvers: t.field({ type: [ApproverRef], resolve: (plan) => plan.approvers }),
    }),
  });

  const TemplateRef = builder.objectRef<{ name: string } & ReviewPlanSettings>('ReviewPlanTemplate').implement({
    description: 'A starting point for upsertReviewPlan: STRICT, STANDARD, LENIENT, AI_ONLY.',
    interfaces: [SettingsInterface],
    isTypeOf: (value) => typeof value === 'object' && value !== null && !('id' in value),
    fields: (t) => ({ name: t.exposeString('name') }),
  });

  ReviewPlanRef.implement({
    description: 'How requests on the datasources that use it are reviewed.',
    interfaces: [SettingsInterface],
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'id' in value,
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      notifyChannelIds: t.idList({ description: 'Notification channels that hear of this plan\'s requests (besides those for all events).', resolve: (plan) => plan.notifyChannelIds }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    }),
  });

  const ApproverInput = builder.inputType('ApproverInput', {
    fields: (t) => ({
      stage: t.int({ required: true }),
      role: t.field({ type: RoleRef }),
      userId: t.id({ validate: z.uuid() }),
      groupId: t.id({ validate: z.uuid() }),
    }),
  });
  const UpsertReviewPlanInput = builder.inputType('UpsertReviewPlanInput', {
    description: 'Authoritative: an omitted field takes the Standard template value.',
    fields: (t) => ({
      name: t.string({ required: true, validate: z.string().trim().min(1).max(200), ...naturalKey }),
      description: t.string({ validate: z.string().max(2000) }),
      requiresAiReview: t.boolean(),
      requiresHumanApproval: t.boolean(),
      autoApproveReads: t.boolean(),
      autoApproveMaxRiskLevel: t.field({ type: RiskLevelEnum }),
      minApprovalsRequired: t.int(),
      approvalTimeoutHours: t.int(),
      approvers: t.field({ type: [ApproverInput] }),
      notifyChannelIds: t.idList({ description: 'Notification channels of this organization; omitted → none.', validate: z.array(z.uuid()).max(20) }),
    }),
  });

  builder.queryFields((t) => ({
    // Loadable: the aliases of one request (Terraform's batched refresh) are read in one store transaction.
    reviewPlan: t.loadable({
      type: ReviewPlanRef,
      nullable: true,
      ...requires('AUTHENTICATED'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      load: (ids: string[], ctx) => ctx.services.reviewPlans.getMany(actorOf(ctx), ids),
      sort: (found) => found.id,
      resolve: (_root, args) => String(args.id),
    }),
    reviewPlanByName: t.field({
      type: ReviewPlanRef,
      nullable: true,
      ...requires('AUTHENTICATED'),
      args: { name: t.arg.string({ required: true, validate: z.string().max(200) }) },
      resolve: (_root, args, ctx) => ctx.services.reviewPlans.getByName(actorOf(ctx), args.name),
    }),
    reviewPlans: t.connection({
      type: ReviewPlanRef,
      ...requires('AUTHENTICATED'),
      resolve: (_root, args, ctx) => offsetPage(args, (offset, limit) => ctx.services.reviewPlans.list(actorOf(ctx), offset, limit)),
    }),
    reviewPlanTemplates: t.field({
      type: [TemplateRef],
      ...requires('AUTHENTICATED'),
      resolve: () => Object.entries(REVIEW_PLAN_TEMPLATES).map(([name, settings]) => ({ name, ...settings })),
    }),
  }));

  builder.mutationFields((t) => ({
    upsertReviewPlan: t.field({
      type: ReviewPlanRef,
      description: 'Creates the plan, or makes the one with this name match the input.',
      ...requires('POLICIES_MANAGE'),
      errors: {},
      args: { input: t.arg({ type: UpsertReviewPlanInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.reviewPlans.upsert(actorOf(ctx), ctx.origin, {
          ...input,
          notifyChannelIds: input.notifyChannelIds?.map(String),
          approvers: input.approvers?.map((a) => ({
            stage: a.stage,
            role: a.role ?? null,
            userId: a.userId ? String(a.userId) : null,
            groupId: a.groupId ? String(a.groupId) : null,
          })),
        }),
    }),
    deleteReviewPlan: t.id({
      ...requires('POLICIES_MANAGE'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.reviewPlans.delete(actorOf(ctx), ctx.origin, String(args.id)),
    }),
  }));
}

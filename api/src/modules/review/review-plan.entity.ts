import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn, jsonListColumn, updatedAtColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';
import type { Role } from '../identity/permissions.ts';

export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** One approver slot of a stage: a role, a user or a group (exactly one). */
export interface Approver {
  stage: number;
  role: Role | null;
  userId: string | null;
  groupId: string | null;
}

/** How requests on a datasource are reviewed (FEATURES C3). */
export const ReviewPlanEntity = defineEntity({
  name: 'ReviewPlan',
  tableName: 'review_plans',
  uniques: [{ properties: ['organizationId', 'name'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    name: p.string().length(200),
    description: p.text().nullable(),
    requiresAiReview: p.boolean().default(true),
    requiresHumanApproval: p.boolean().default(true),
    autoApproveReads: p.boolean().default(false),
    /** Reads are auto-approved only at or below this risk level. */
    autoApproveMaxRiskLevel: p.enum(RISK_LEVELS).default('MEDIUM'),
    minApprovalsRequired: p.integer().default(1),
    approvalTimeoutHours: p.integer().default(24),
    approvers: jsonListColumn<Approver>(),
    /** Notification channels (same organization) that hear of this plan's requests, besides those for all events. */
    notifyChannelIds: jsonListColumn<string>(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  ...TENANT_TABLE,
});
export type ReviewPlan = InferEntity<typeof ReviewPlanEntity>;


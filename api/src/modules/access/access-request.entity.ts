import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn, updatedAtColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import { UserEntity } from '../identity/user.entity.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';
import type { Approver } from '../review/review-plan.entity.ts';

export const ACCESS_REQUEST_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'CANCELLED', 'REVOKED', 'EXPIRED'] as const;
export type AccessRequestStatus = (typeof ACCESS_REQUEST_STATUSES)[number];
export const ACCESS_DECISIONS = ['APPROVE', 'REJECT'] as const;

/**
 * Just-in-time access (FEATURES C10): a person asks for capabilities on one datasource for a while; reviewers
 * approve it stage by stage (admins as the backstop); once approved it acts as a grant of the requester until
 * `expiresAt`, when it ends by itself, or until an admin revokes it.
 */
export const AccessRequestEntity = defineEntity({
  name: 'AccessRequest',
  tableName: 'access_requests',
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    requesterId: p.manyToOne(UserEntity).mapToPk().fieldName('requester_id').index().deleteRule('cascade'),
    datasourceId: p.manyToOne(DatasourceEntity).mapToPk().fieldName('datasource_id').index().deleteRule('cascade'),
    canRead: p.boolean(),
    canWrite: p.boolean(),
    canDdl: p.boolean(),
    /** null = every schema; combined with the requester's other grants as one more grant (most-permissive union). */
    allowedSchemas: p.json<string[] | null>().nullable(),
    allowedTables: p.json<string[] | null>().nullable(),
    durationMinutes: p.integer(),
    justification: p.text(),
    status: p.enum(ACCESS_REQUEST_STATUSES).index(),
    /** The datasource's review plan when requested: its stages and the approvals each needs. */
    approvers: p.json<Approver[]>(),
    minApprovalsRequired: p.integer(),
    currentStage: p.integer().default(1),
    approvedAt: p.datetime().nullable(),
    /** While APPROVED: when the access ends by itself. */
    expiresAt: p.datetime().nullable().index(),
    endedAt: p.datetime().nullable(),
    endedById: p.manyToOne(UserEntity).mapToPk().fieldName('ended_by_id').nullable(),
    endReason: p.text().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  ...TENANT_TABLE,
});
export type AccessRequest = InferEntity<typeof AccessRequestEntity>;

export const AccessDecisionEntity = defineEntity({
  name: 'AccessDecision',
  tableName: 'access_decisions',
  uniques: [{ properties: ['accessRequestId', 'reviewerId', 'stage'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    accessRequestId: p.manyToOne(AccessRequestEntity).mapToPk().fieldName('access_request_id').deleteRule('cascade'),
    reviewerId: p.manyToOne(UserEntity).mapToPk().fieldName('reviewer_id').index(),
    stage: p.integer(),
    decision: p.enum(ACCESS_DECISIONS),
    comment: p.text().nullable(),
    createdAt: createdAtColumn(),
  },
  ...TENANT_TABLE,
});
export type AccessDecision = InferEntity<typeof AccessDecisionEntity>;

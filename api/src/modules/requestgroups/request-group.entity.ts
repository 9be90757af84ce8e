import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn, updatedAtColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { UserEntity } from '../identity/user.entity.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';

export const REQUEST_GROUP_STATUSES = [
  'PENDING_REVIEW',
  'APPROVED',
  'REJECTED',
  'CANCELLED',
  'EXECUTING',
  'EXECUTED',
  'PARTIALLY_EXECUTED',
  'FAILED',
] as const;
export type RequestGroupStatus = (typeof REQUEST_GROUP_STATUSES)[number];
export const FAILURE_MODES = ['STOP_ON_FAILURE', 'CONTINUE_ON_ERROR'] as const;

/**
 * Several governed statements, possibly on different datasources, reviewed and approved as one and run in
 * order (FEATURES C13). Each member is an ordinary request (`query_requests.group_id`) with its own plan, checks
 * and audit trail; the group is approved when every member is.
 */
export const RequestGroupEntity = defineEntity({
  name: 'RequestGroup',
  tableName: 'request_groups',
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    submittedById: p.manyToOne(UserEntity).mapToPk().fieldName('submitted_by_id').index(),
    name: p.string().length(200),
    justification: p.text().nullable(),
    failureMode: p.enum(FAILURE_MODES),
    status: p.enum(REQUEST_GROUP_STATUSES).index(),
    executedAt: p.datetime().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  ...TENANT_TABLE,
});
export type RequestGroup = InferEntity<typeof RequestGroupEntity>;

import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn, updatedAtColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';
import { UserEntity } from '../identity/user.entity.ts';

export const UserGroupEntity = defineEntity({
  name: 'UserGroup',
  tableName: 'user_groups',
  uniques: [{ properties: ['organizationId', 'name'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    name: p.string().length(200),
    description: p.text().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  ...TENANT_TABLE,
});
export type UserGroup = InferEntity<typeof UserGroupEntity>;

export const MEMBERSHIP_SOURCES = ['MANUAL', 'IDP'] as const;

export const GroupMembershipEntity = defineEntity({
  name: 'GroupMembership',
  tableName: 'group_memberships',
  uniques: [{ properties: ['groupId', 'userId'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    groupId: p.manyToOne(UserGroupEntity).mapToPk().fieldName('group_id').deleteRule('cascade'),
    userId: p.manyToOne(UserEntity).mapToPk().fieldName('user_id').index().deleteRule('cascade'),
    source: p.enum(MEMBERSHIP_SOURCES).default('MANUAL'),
    createdAt: createdAtColumn(),
  },
  ...TENANT_TABLE,
});
export type GroupMembership = InferEntity<typeof GroupMembershipEntity>;

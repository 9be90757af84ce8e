import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn, jsonObjectColumn, updatedAtColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';
import { ROLES } from './permissions.ts';

export const USER_KINDS = ['HUMAN', 'SERVICE_ACCOUNT'] as const;
export type UserKind = (typeof USER_KINDS)[number];

export const UserEntity = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    kind: p.enum(USER_KINDS).default('HUMAN'),
    /** Lower-cased; unique across the instance because sign-in names no organization. Service accounts get a synthetic one. */
    email: p.string().length(320).unique(),
    displayName: p.string().length(200),
    passwordHash: p.string().length(200).nullable(),
    role: p.enum(ROLES),
    /** Orthogonal to role: may manage organizations across the instance (FEATURES A1). */
    platformAdmin: p.boolean().default(false),
    active: p.boolean().default(true),
    /** Key/value attributes, used by row security as `:user.<key>`. */
    attributes: jsonObjectColumn<Record<string, string>>(),
    deactivatedAt: p.datetime().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  ...TENANT_TABLE,
});
export type User = InferEntity<typeof UserEntity>;

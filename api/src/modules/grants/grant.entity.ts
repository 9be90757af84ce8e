import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn, jsonListColumn, updatedAtColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import { UserGroupEntity } from '../groups/user-group.entity.ts';
import { UserEntity } from '../identity/user.entity.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';

/**
 * Access to one datasource for one user or one group (FEATURES C2). Several grants that apply to a person
 * combine as the most permissive union (see access.ts). One grant per (datasource, subject).
 */
export const GrantEntity = defineEntity({
  name: 'Grant',
  tableName: 'grants',
  uniques: [{ properties: ['datasourceId', 'userId'] }, { properties: ['datasourceId', 'groupId'] }],
  checks: [{ name: 'grants_one_subject', expression: '(user_id is null) <> (group_id is null)' }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    datasourceId: p.manyToOne(DatasourceEntity).mapToPk().fieldName('datasource_id').deleteRule('cascade'),
    userId: p.manyToOne(UserEntity).mapToPk().fieldName('user_id').nullable().deleteRule('cascade').index(),
    groupId: p.manyToOne(UserGroupEntity).mapToPk().fieldName('group_id').nullable().deleteRule('cascade').index(),
    canRead: p.boolean().default(true),
    canWrite: p.boolean().default(false),
    canDdl: p.boolean().default(false),
    canBreakGlass: p.boolean().default(false),
    /** null = every schema. Lower-cased for case-insensitive matching. */
    allowedSchemas: p.json<string[] | null>().nullable(),
    /** null = every table; `schema.table` or bare `table` (a bare name matches only an unqualified reference). */
    allowedTables: p.json<string[] | null>().nullable(),
    /** `schema.table.column`, `table.column` or `column`: shown as *** to this subject. */
    restrictedColumns: jsonListColumn<string>(),
    /** Row cap for this subject; null = the datasource's maxRowsPerQuery. */
    maxRows: p.integer().nullable(),
    expiresAt: p.datetime().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  ...TENANT_TABLE,
});
export type Grant = InferEntity<typeof GrantEntity>;

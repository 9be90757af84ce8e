import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn, jsonListColumn, updatedAtColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import type { Role } from '../identity/permissions.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';

export const ROW_OPERATORS = ['EQUALS', 'NOT_EQUALS', 'LESS_THAN', 'LESS_THAN_OR_EQUAL', 'GREATER_THAN', 'GREATER_THAN_OR_EQUAL', 'IN', 'NOT_IN'] as const;
export const ROW_VALUE_TYPES = ['LITERAL', 'VARIABLE'] as const;

/**
 * A row filter on one table of a datasource (FEATURES C8): `column operator value`, the value a literal or a
 * `user.*` variable, for the roles, groups and users it applies to (empty lists = everyone, admins included).
 */
export const RowSecurityPolicyEntity = defineEntity({
  name: 'RowSecurityPolicy',
  tableName: 'row_security_policies',
  uniques: [{ properties: ['datasourceId', 'tableName', 'columnName', 'operator'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    datasourceId: p.manyToOne(DatasourceEntity).mapToPk().fieldName('datasource_id').deleteRule('cascade'),
    /** `schema.table` or `table` (the datasource's default schema), lower case. */
    tableName: p.string().length(400),
    columnName: p.string().length(200),
    operator: p.enum(ROW_OPERATORS),
    valueType: p.enum(ROW_VALUE_TYPES),
    /** A literal (comma-separated for IN / NOT_IN), or `user.id`, `user.email`, `user.role`, `user.groups`, `user.<attribute>`. */
    valueExpression: p.string().length(1000),
    appliesToRoles: jsonListColumn<Role>(),
    appliesToGroupIds: jsonListColumn<string>(),
    appliesToUserIds: jsonListColumn<string>(),
    enabled: p.boolean().default(true),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  ...TENANT_TABLE,
});
export type RowSecurityPolicy = InferEntity<typeof RowSecurityPolicyEntity>;

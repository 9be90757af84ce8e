import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn, jsonListColumn, jsonObjectColumn, updatedAtColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import type { Role } from '../identity/permissions.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';
import { MASKING_STRATEGIES } from './strategies.ts';


/**
 * How one column of a datasource is shown (FEATURES C7). Everyone sees the masked value except the roles,
 * groups and users named in reveal lists; there is no implicit admin bypass.
 */
export const MaskingPolicyEntity = defineEntity({
  name: 'MaskingPolicy',
  tableName: 'masking_policies',
  uniques: [{ properties: ['datasourceId', 'columnRef'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    datasourceId: p.manyToOne(DatasourceEntity).mapToPk().fieldName('datasource_id').deleteRule('cascade'),
    /** `schema.table.column`, `table.column` or `column`, lower case. */
    columnRef: p.string().length(400),
    strategy: p.enum(MASKING_STRATEGIES),
    strategyParams: jsonObjectColumn<Record<string, string>>(),
    revealToRoles: jsonListColumn<Role>(),
    revealToGroupIds: jsonListColumn<string>(),
    revealToUserIds: jsonListColumn<string>(),
    enabled: p.boolean().default(true),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  ...TENANT_TABLE,
});
export type MaskingPolicy = InferEntity<typeof MaskingPolicyEntity>;

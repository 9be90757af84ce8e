import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn, updatedAtColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';
import type { Condition } from './condition.ts';
import { ROUTING_ACTIONS } from './evaluate.ts';

/**
 * An automatic routing rule (FEATURES C5): evaluated by ascending priority, unique in the organization; the
 * first enabled one whose condition holds decides. A datasource-scoped policy goes with its datasource.
 */
export const RoutingPolicyEntity = defineEntity({
  name: 'RoutingPolicy',
  tableName: 'routing_policies',
  uniques: [{ properties: ['organizationId', 'name'] }, { properties: ['organizationId', 'priority'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    name: p.string().length(200),
    description: p.text().nullable(),
    /** null = every datasource of the organization. */
    datasourceId: p.manyToOne(DatasourceEntity).mapToPk().fieldName('datasource_id').deleteRule('cascade').nullable(),
    priority: p.integer(),
    enabled: p.boolean().default(true),
    /** The validated, normalised tree (see condition.ts). */
    condition: p.json<Condition>(),
    /** IANA zone in which time_of_day and day_of_week leaves read the clock. */
    timeZone: p.string().length(100).default('UTC'),
    action: p.enum(ROUTING_ACTIONS),
    /** REQUIRE_APPROVALS: the absolute count; ESCALATE: added to the plan's minimum; null for the other actions. */
    requiredApprovals: p.integer().nullable(),
    reason: p.text().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  ...TENANT_TABLE,
});
export type RoutingPolicy = InferEntity<typeof RoutingPolicyEntity>;

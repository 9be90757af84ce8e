import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn, jsonListColumn, updatedAtColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import { UserEntity } from '../identity/user.entity.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';

export const TEMPLATE_VISIBILITIES = ['PRIVATE', 'TEAM'] as const;
export type TemplateVisibility = (typeof TEMPLATE_VISIBILITIES)[number];

/**
 * A saved query with `:placeholders` (FEATURES C12), owned by one user: PRIVATE (the owner only) or TEAM
 * (everyone in the organization may read and use it; only the owner changes it). Its text lives in versions.
 */
export const QueryTemplateEntity = defineEntity({
  name: 'QueryTemplate',
  tableName: 'query_templates',
  uniques: [{ properties: ['organizationId', 'ownerId', 'name'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    ownerId: p.manyToOne(UserEntity).mapToPk().fieldName('owner_id').deleteRule('cascade'),
    name: p.string().length(200),
    description: p.text().nullable(),
    visibility: p.enum(TEMPLATE_VISIBILITIES).default('PRIVATE'),
    /** Pinned to one datasource (its dialect finds the placeholders, and submissions go there by default). */
    datasourceId: p.manyToOne(DatasourceEntity).mapToPk().fieldName('datasource_id').deleteRule('set null').nullable(),
    currentVersion: p.integer(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  ...TENANT_TABLE,
});
export type QueryTemplate = InferEntity<typeof QueryTemplateEntity>;

/** One saved text of a template. Immutable: the application role may insert and read these rows, never update them. */
export const QueryTemplateVersionEntity = defineEntity({
  name: 'QueryTemplateVersion',
  tableName: 'query_template_versions',
  uniques: [{ properties: ['templateId', 'version'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    templateId: p.manyToOne(QueryTemplateEntity).mapToPk().fieldName('template_id').deleteRule('cascade'),
    version: p.integer(),
    body: p.text(),
    /** Distinct placeholder names in order of first appearance. */
    placeholders: jsonListColumn<string>(),
    createdById: p.uuid().fieldName('created_by_id'),
    /** The version this one restored, if it was a restore. */
    restoredFrom: p.integer().nullable(),
    createdAt: createdAtColumn(),
  },
  ...TENANT_TABLE,
});
export type QueryTemplateVersion = InferEntity<typeof QueryTemplateVersionEntity>;

import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';

export const DATA_CLASSIFICATIONS = ['PII', 'PCI', 'PHI', 'GDPR', 'FINANCIAL', 'SENSITIVE'] as const;
export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];

/**
 * A data classification on a table or one of its columns (FEATURES C9). Tags are immutable: created or deleted,
 * never edited. A column tag derives a masking policy and every tag raises the risk of queries that touch it.
 */
export const ClassificationTagEntity = defineEntity({
  name: 'ClassificationTag',
  tableName: 'classification_tags',
  uniques: [{ properties: ['datasourceId', 'tableName', 'columnName', 'classification'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    datasourceId: p.manyToOne(DatasourceEntity).mapToPk().fieldName('datasource_id').deleteRule('cascade'),
    /** `schema.table` or `table`, lower case. */
    tableName: p.string().length(400),
    /** Lower case; empty for a tag on the whole table (kept non-null so the unique key holds). */
    columnName: p.string().length(200).default(''),
    classification: p.enum(DATA_CLASSIFICATIONS),
    createdAt: createdAtColumn(),
  },
  ...TENANT_TABLE,
});
export type ClassificationTag = InferEntity<typeof ClassificationTagEntity>;

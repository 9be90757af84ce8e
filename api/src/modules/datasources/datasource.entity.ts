import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn, updatedAtColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';
import { AiConfigEntity } from '../ai/ai-config.entity.ts';
import { ReviewPlanEntity } from '../review/review-plan.entity.ts';

export const DB_TYPES = ['POSTGRESQL', 'MYSQL', 'MARIADB'] as const;
export const SSL_MODES = ['DISABLE', 'REQUIRE', 'VERIFY_CA', 'VERIFY_FULL'] as const;

/** A database AccessFlow governs (FEATURES B1). Only AccessFlow holds its password, encrypted. */
export const DatasourceEntity = defineEntity({
  name: 'Datasource',
  tableName: 'datasources',
  uniques: [{ properties: ['organizationId', 'name'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    name: p.string().length(200),
    dbType: p.enum(DB_TYPES),
    host: p.string().length(255),
    port: p.integer(),
    /** A read replica (same database, user and password): proven reads run there, falling back to the primary. */
    replicaHost: p.string().length(255).nullable(),
    replicaPort: p.integer().nullable(),
    databaseName: p.string().length(255),
    username: p.string().length(255),
    /** AES-256-GCM (crypto/secretbox.ts); never leaves the server. */
    passwordEncrypted: p.text().nullable(),
    /** Counts password changes, so clients (Terraform) notice a rotation without ever reading the secret. */
    passwordVersion: p.integer().default(0),
    sslMode: p.enum(SSL_MODES).default('DISABLE'),
    /** PEM certificate(s) of the authorities VERIFY_CA / VERIFY_FULL trust instead of the system's (libpq's sslrootcert). */
    sslRootCertificate: p.text().nullable(),
    connectionPoolSize: p.integer().default(10),
    maxRowsPerQuery: p.integer().default(1000),
    statementTimeoutSeconds: p.integer().default(30),
    requireReviewReads: p.boolean().default(false),
    requireReviewWrites: p.boolean().default(true),
    aiAnalysisEnabled: p.boolean().default(true),
    textToSqlEnabled: p.boolean().default(false),
    reviewPlanId: p.manyToOne(ReviewPlanEntity).mapToPk().fieldName('review_plan_id').nullable().index(),
    /** The model that reviews this datasource's statements when its plan requires AI review (FEATURES E2). */
    aiConfigId: p.manyToOne(AiConfigEntity).mapToPk().fieldName('ai_config_id').nullable().index(),
    active: p.boolean().default(true),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  ...TENANT_TABLE,
});
export type Datasource = InferEntity<typeof DatasourceEntity>;

import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { idColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';

export const AUDIT_SOURCES = ['API', 'BOOTSTRAP', 'SYSTEM', 'SCHEDULER'] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

/**
 * Append-only (the store roles have INSERT and SELECT only). `seq` numbers each org's chain without gaps and
 * `hash` = HMAC-SHA256(key, canonical(row) ‖ previousHash), so a changed, removed or reordered row breaks it.
 */
export const AuditEventEntity = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_events',
  uniques: [{ properties: ['organizationId', 'seq'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn(),
    seq: p.bigint('number'),
    actorId: p.uuid().nullable(),
    actorType: p.string().length(32),
    action: p.string().length(100).index(),
    targetType: p.string().length(100).nullable(),
    targetId: p.string().length(200).nullable(),
    metadata: p.json<Record<string, unknown>>(),
    source: p.enum(AUDIT_SOURCES),
    ipAddress: p.string().length(64).nullable(),
    userAgent: p.string().length(500).nullable(),
    createdAt: p.datetime(),
    previousHash: p.string().length(64).nullable(),
    hash: p.string().length(64),
  },
  ...TENANT_TABLE,
});
export type AuditEvent = InferEntity<typeof AuditEventEntity>;

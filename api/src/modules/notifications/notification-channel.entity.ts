import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn, jsonObjectColumn, updatedAtColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { UserEntity } from '../identity/user.entity.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';

export const CHANNEL_TYPES = ['EMAIL', 'SLACK', 'WEBHOOK', 'DISCORD', 'TELEGRAM', 'MS_TEAMS', 'PAGERDUTY'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Where an organization's workflow events are announced (FEATURES F1). */
export const NotificationChannelEntity = defineEntity({
  name: 'NotificationChannel',
  tableName: 'notification_channels',
  uniques: [{ properties: ['organizationId', 'name'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    name: p.string().length(200),
    channelType: p.enum(CHANNEL_TYPES),
    /** The non-secret configuration keys, as given. */
    settings: jsonObjectColumn<Record<string, string>>(),
    /** The secret keys as one JSON object, AES-256-GCM (crypto/secretbox.ts); never returned, logged or audited. */
    secretsEncrypted: p.text().nullable(),
    /** Counts changes of the secret values, so clients (Terraform) notice a rotation without reading them. */
    secretsVersion: p.integer().default(0),
    /** Receives every event of the organization, not only those of the review plans that name it. */
    allEvents: p.boolean().default(false),
    active: p.boolean().default(true),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  ...TENANT_TABLE,
});
export type NotificationChannel = InferEntity<typeof NotificationChannelEntity>;

export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'DEAD'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event to one channel, or by mail to one approver; sent, retried and finally DELIVERED or DEAD by the notifications job. */
export const NotificationDeliveryEntity = defineEntity({
  name: 'NotificationDelivery',
  tableName: 'notification_deliveries',
  // One delivery per channel and audit event, however many replicas derive it.
  uniques: [{ properties: ['channelId', 'auditEventId'] }, { properties: ['recipientUserId', 'auditEventId'] }],
  indexes: [{ properties: ['status', 'nextAttemptAt'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    /** The channel; null for a mail to one approver (`recipientUserId`) over the system SMTP server. */
    channelId: p.manyToOne(NotificationChannelEntity).mapToPk().fieldName('channel_id').nullable().deleteRule('cascade'),
    recipientUserId: p.manyToOne(UserEntity).mapToPk().fieldName('recipient_user_id').nullable().index().deleteRule('cascade'),
    auditEventId: p.uuid(),
    event: p.string().length(64),
    /** The message (built when derived): no result rows, no secrets, the statement truncated. */
    payload: p.json<Record<string, unknown>>(),
    status: p.enum(DELIVERY_STATUSES).default('PENDING'),
    attempts: p.integer().default(0),
    /** When it is next due; while an attempt runs, the end of that attempt's lease. */
    nextAttemptAt: p.datetime(),
    lastError: p.text().nullable(),
    deliveredAt: p.datetime().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  ...TENANT_TABLE,
});
export type NotificationDelivery = InferEntity<typeof NotificationDeliveryEntity>;

/** How far an organization's audit log has been turned into deliveries (one row per organization). */
export const NotificationCursorEntity = defineEntity({
  name: 'NotificationCursor',
  tableName: 'notification_cursors',
  properties: {
    organizationId: organizationIdColumn().primary(),
    lastSeq: p.bigint('number').default(0),
    updatedAt: updatedAtColumn(),
  },
  ...TENANT_TABLE,
});
export type NotificationCursor = InferEntity<typeof NotificationCursorEntity>;

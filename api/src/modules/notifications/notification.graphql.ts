/** GraphQL for notification channels and their deliveries (admins only). Secret config values are input only. */
import { z } from 'zod';
import { builder, naturalKey, replaceOnChange, requires, stringMap, writeOnly } from '../../graphql/builder.ts';
import { actorOf, offsetPage } from '../../graphql/helpers.ts';
import { NOTIFICATION_EVENTS } from './messages.ts';
import { CHANNEL_TYPES, DELIVERY_STATUSES, type NotificationChannel, type NotificationDelivery } from './notification-channel.entity.ts';
import type { ChannelCheck } from './notification.service.ts';

export const NotificationChannelRef = builder.objectRef<NotificationChannel>('NotificationChannel');

export function defineNotificationSchema(): void {
  const ChannelTypeEnum = builder.enumType('NotificationChannelType', { values: CHANNEL_TYPES });
  const DeliveryStatusEnum = builder.enumType('NotificationDeliveryStatus', {
    values: DELIVERY_STATUSES,
    description: 'PENDING (due, or waiting for its next retry), DELIVERED, DEAD (every retry failed, or the channel became inactive).',
  });
  const EventEnum = builder.enumType('NotificationEvent', { values: NOTIFICATION_EVENTS });

  NotificationChannelRef.implement({
    description: 'Where workflow events are announced: review plans name channels; a channel with allEvents hears every event; break-glass runs go to every active channel.',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      channelType: t.expose('channelType', { type: ChannelTypeEnum }),
      config: t.field({ type: 'JSON', description: 'The non-secret keys.', resolve: (channel) => channel.settings }),
      secretKeys: t.stringList({ description: 'Which secret keys are set; their values are never returned.', resolve: (channel, _args, ctx) => ctx.services.notifications.secretKeys(channel) }),
      secretsVersion: t.exposeInt('secretsVersion', { description: 'Increases whenever the secret values change.' }),
      allEvents: t.exposeBoolean('allEvents', { description: "Receives every event of the organization, not only those of the review plans that name it." }),
      active: t.exposeBoolean('active'),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    }),
  });

  const DeliveryRef = builder.objectRef<NotificationDelivery>('NotificationDelivery').implement({
    description: 'One event sent (or being sent) to one channel, or by mail to one approver.',
    fields: (t) => ({
      id: t.exposeID('id'),
      channelId: t.exposeID('channelId', { nullable: true }),
      recipientUserId: t.exposeID('recipientUserId', { nullable: true, description: 'The approver mailed (over the system SMTP server) when there is no channel.' }),
      event: t.field({ type: EventEnum, resolve: (d) => d.event as (typeof NOTIFICATION_EVENTS)[number] }),
      status: t.expose('status', { type: DeliveryStatusEnum }),
      attempts: t.exposeInt('attempts'),
      nextAttemptAt: t.field({ type: 'DateTime', nullable: true, description: 'When a PENDING delivery is next tried.', resolve: (d) => (d.status === 'PENDING' ? d.nextAttemptAt : null) }),
      lastError: t.exposeString('lastError', { nullable: true }),
      deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
      message: t.field({ type: 'JSON', description: 'What was sent: title, text, link, details (never result rows or secrets).', resolve: (d) => d.payload }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  const CheckRef = builder.objectRef<ChannelCheck>('NotificationChannelCheck').implement({
    fields: (t) => ({
      ok: t.exposeBoolean('ok'),
      message: t.exposeString('message', { description: "'delivered', or why not (status and the service's answer; never a secret)." }),
    }),
  });

  const UpsertInput = builder.inputType('UpsertNotificationChannelInput', {
    description: 'Authoritative, by name: config holds every non-secret key; secrets, when given, every secret key.',
    fields: (t) => ({
      name: t.string({ required: true, validate: z.string().trim().min(1).max(200), ...naturalKey }),
      channelType: t.field({ type: ChannelTypeEnum, required: true, ...replaceOnChange }),
      config: t.field({
        type: 'JSON',
        required: true,
        description: 'The non-secret keys: EMAIL to, from, smtp_host, smtp_port, smtp_user; WEBHOOK url; TELEGRAM chat_id, api_url; PAGERDUTY api_url ({} for SLACK, DISCORD, MS_TEAMS).',
        validate: z.record(z.string().max(100), z.string().max(2000)),
        ...stringMap,
      }),
      secrets: t.field({
        type: 'JSON',
        description: 'Write-only, the secret keys: EMAIL smtp_password; SLACK, DISCORD, MS_TEAMS webhook_url; WEBHOOK secret; TELEGRAM bot_token; PAGERDUTY routing_key. Omitted → the stored ones are kept (same channel type).',
        validate: z.record(z.string().max(100), z.string().max(2000)),
        // A write-only string map: never returned, never in Terraform state.
        directives: { ...writeOnly('secretsVersion').directives, ...stringMap.directives },
      }),
      allEvents: t.boolean({ description: 'Default false.' }),
      active: t.boolean({ description: 'Default true.' }),
    }),
  });

  builder.queryFields((t) => ({
    // Loadable: the aliases of one request (Terraform's batched refresh) are read in one store transaction.
    notificationChannel: t.loadable({
      type: NotificationChannelRef,
      nullable: true,
      ...requires('ORG_MANAGE'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      load: (ids: string[], ctx) => ctx.services.notifications.getMany(actorOf(ctx), ids),
      sort: (found) => found.id,
      resolve: (_root, args) => String(args.id),
    }),
    notificationChannelByName: t.field({
      type: NotificationChannelRef,
      nullable: true,
      ...requires('ORG_MANAGE'),
      args: { name: t.arg.string({ required: true, validate: z.string().max(200) }) },
      resolve: (_root, args, ctx) => ctx.services.notifications.getByName(actorOf(ctx), args.name),
    }),
    notificationChannels: t.connection({
      type: NotificationChannelRef,
      ...requires('ORG_MANAGE'),
      resolve: (_root, args, ctx) => offsetPage(args, (offset, limit) => ctx.services.notifications.list(actorOf(ctx), offset, limit)),
    }),
    notificationDeliveries: t.connection({
      type: DeliveryRef,
      description: 'Newest first.',
      ...requires('ORG_MANAGE'),
      args: { channelId: t.arg.id({ validate: z.uuid() }), status: t.arg({ type: DeliveryStatusEnum }) },
      resolve: (_root, args, ctx) =>
        offsetPage(args, (offset, limit) =>
          ctx.services.notifications.deliveries(actorOf(ctx), { channelId: args.channelId ? String(args.channelId) : null, status: args.status ?? null }, offset, limit),
        ),
    }),
  }));

  builder.mutationFields((t) => ({
    upsertNotificationChannel: t.field({
      type: NotificationChannelRef,
      description: 'Creates the channel, or makes the one with this name match the input.',
      ...requires('ORG_MANAGE'),
      errors: {},
      args: { input: t.arg({ type: UpsertInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.notifications.upsert(actorOf(ctx), ctx.origin, { ...input, config: input.config as Record<string, string>, secrets: input.secrets as Record<string, string> | null | undefined }),
    }),
    deleteNotificationChannel: t.id({
      description: 'Refused (Conflict) while a review plan names it. Its deliveries go with it.',
      ...requires('ORG_MANAGE'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.notifications.delete(actorOf(ctx), ctx.origin, String(args.id)),
    }),
    testNotificationChannel: t.field({
      type: CheckRef,
      description: 'Sends a test message now; the outcome is returned (and audited).',
      ...requires('ORG_MANAGE'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.notifications.test(actorOf(ctx), ctx.origin, String(args.id)),
    }),
  }));
}

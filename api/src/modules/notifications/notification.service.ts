/**
 * Notification channels (FEATURES F1) and their deliveries. Channels: upsert by name within the organization
 * (authoritative: the config map is the whole configuration), secret config values encrypted and write-only.
 * Deliveries are derived from the audit log, which every action writes in its own transaction: a per-organization
 * cursor (the last audit seq looked at) is advanced under a row lock taken with SKIP LOCKED, so one replica at a
 * time turns an organization's new events into delivery rows, at most one per channel and event. Sending claims
 * each due delivery for a lease, sends outside any transaction, and records the outcome; a failure is retried on
 * the configured delays, then the delivery is DEAD. Nothing here runs inside a workflow transaction, so a channel
 * that fails never affects a request.
 */
import { LockMode } from '@mikro-orm/core';
import { decryptSecret, encryptSecret } from '../../crypto/secretbox.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import type { Logger } from '../../logger.ts';
import { flushOrConflict, type EntityManager, type Store } from '../../store/store.ts';
import { AccessRequestEntity } from '../access/access-request.entity.ts';
import { auditOriginOf, type AuditService } from '../audit/audit.service.ts';
import { AuditedService } from '../audit/audited-service.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import { GroupMembershipEntity } from '../groups/user-group.entity.ts';
import { roleHas } from '../identity/permissions.ts';
import { UserEntity } from '../identity/user.entity.ts';
import { QueryRequestEntity, ReviewDecisionEntity, type QueryRequest } from '../requests/query-request.entity.ts';
import { stageApprovers } from '../requests/query-request.service.ts';
import { eligibleApprover } from '../review/approvers.ts';
import { ReviewPlanEntity } from '../review/review-plan.entity.ts';
import { configIssues, type ChannelConfig } from './channel-config.ts';
import { accessMessage, eventOf, queryMessage, testMessage, type NotificationEvent, type NotificationMessage } from './messages.ts';
import {
  NotificationChannelEntity,
  NotificationCursorEntity,
  NotificationDeliveryEntity,
  type ChannelType,
  type DeliveryStatus,
  type NotificationChannel,
  type NotificationDelivery,
} from './notification-channel.entity.ts';
import { DeliveryFailed, send, type ChannelTarget, type Delivery, type SenderOptions } from './senders.ts';

export interface UpsertNotificationChannelInput {
  name: string;
  channelType: ChannelType;
  /** The non-secret keys, all of them. */
  config: ChannelConfig;
  /** The secret keys, all of them; omitted → the stored ones are kept (when the type is unchanged). */
  secrets?: ChannelConfig | null;
  allEvents?: boolean | null;
  active?: boolean | null;
}

export interface ChannelCheck {
  ok: boolean;
  message: string;
}

export interface NotificationOptions extends SenderOptions {
  retryDelaysMs: number[];
  /** Base of console links; undefined → set by the server once it listens (`usePublicUrl`). */
  publicUrl: string | undefined;
}

/** Audit rows looked at per organization and run. */
const EVENT_BATCH = 500;
/** Deliveries sent per run. */
const SEND_BATCH = 100;
/** Deliveries sent at once. */
const SENDERS = 4;
/** Most approvers mailed about one request (a plan open to every reviewer of a large organization). */
const MAX_APPROVER_MAILS = 50;

export class NotificationService extends AuditedService {
  readonly #encryptionKey: Buffer;
  readonly #options: NotificationOptions;
  readonly #log: Logger;
  #publicUrl: string;

  constructor(store: Store, audit: AuditService, encryptionKey: Buffer, options: NotificationOptions, log: Logger) {
    super(store, audit);
    this.#encryptionKey = encryptionKey;
    this.#options = options;
    this.#log = log;
    this.#publicUrl = options.publicUrl ?? 'http://localhost';
  }

  /** The server's own address, when no PUBLIC_URL was configured. */
  usePublicUrl(url: string): void {
    if (this.#options.publicUrl === undefined) this.#publicUrl = url.replace(/\/+$/, '');
  }

  /** Several by id in one transaction (missing ones are left out). */
  async getMany(actor: Actor, ids: readonly string[]): Promise<NotificationChannel[]> {
    return this.store.tenant(actor.orgId, (em) => em.find(NotificationChannelEntity, { id: { $in: [...ids] } }));
  }

  async getByName(actor: Actor, name: string): Promise<NotificationChannel | null> {
    return this.store.tenant(actor.orgId, (em) => em.findOne(NotificationChannelEntity, { name: name.trim() }));
  }

  async list(actor: Actor, offset: number, limit: number): Promise<NotificationChannel[]> {
    return this.store.tenant(actor.orgId, (em) => em.find(NotificationChannelEntity, {}, { orderBy: { name: 'asc', id: 'asc' }, offset, limit }));
  }

  /** Which secret keys are set (their values never leave the server). */
  secretKeys(channel: NotificationChannel): string[] {
    return Object.keys(this.#secretsOf(channel)).sort();
  }

  async upsert(actor: Actor, origin: Origin, input: UpsertNotificationChannelInput): Promise<NotificationChannel> {
    const name = input.name.trim();
    return this.store.tenant(actor.orgId, async (em) => {
      // The audit chain's lock first: taken after this transaction's insert (whose foreign key share-locks the
      // organization row), two concurrent upserts would deadlock on that row.
      await this.audit.lockChain(em, actor.orgId);
      const existing = await em.findOne(NotificationChannelEntity, { name });
      // Stored secrets carry over only within the same type (another type's secret means something else).
      const stored = existing && existing.channelType === input.channelType ? this.#secretsOf(existing) : {};
      const settings = input.config;
      const moved = input.secrets == null && Object.keys(stored).length > 0 ? movedDestinations(existing?.settings ?? {}, settings) : [];
      if (moved.length > 0) {
        // Kept secrets are never sent to a new address (an SMTP host, an API URL) they were not given for.
        const message = `must be given again when ${moved.join(', ')} changes: stored secrets are never sent to a new address`;
        throw new ValidationError(`secrets: ${message}`, [{ path: 'secrets', message }]);
      }
      const secrets = input.secrets ?? stored;
      const issues = configIssues(input.channelType, settings, secrets);
      if (issues.length > 0) throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
      const secretsChanged = !sameMap(secrets, existing ? this.#secretsOf(existing) : {});
      const channel = existing ?? em.create(NotificationChannelEntity, { organizationId: actor.orgId, name, channelType: input.channelType, settings });
      em.assign(channel, {
        channelType: input.channelType,
        settings,
        secretsEncrypted: Object.keys(secrets).length > 0 ? encryptSecret(this.#encryptionKey, JSON.stringify(secrets)) : null,
        secretsVersion: (existing?.secretsVersion ?? 0) + (secretsChanged ? 1 : 0),
        allEvents: input.allEvents ?? false,
        active: input.active ?? true,
      });
      await flushOrConflict(em, `a notification channel named "${name}" already exists`);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: existing ? 'NOTIFICATION_CHANNEL_UPDATED' : 'NOTIFICATION_CHANNEL_CREATED',
        targetType: 'NotificationChannel',
        targetId: channel.id,
        // Never a secret value: only the non-secret keys and which secrets changed.
        metadata: { name, channelType: channel.channelType, settings, secretKeys: Object.keys(secrets), secretsChanged, allEvents: channel.allEvents, active: channel.active },
      });
      return channel;
    });
  }

  async delete(actor: Actor, origin: Origin, id: string): Promise<string> {
    return this.store.tenant(actor.orgId, async (em) => {
      const channel = await this.#mustFind(em, id);
      const plans = await em.execute<{ name: string }[]>(`select name from review_plans where notify_channel_ids @> ?::jsonb order by name limit 3`, [JSON.stringify([id])]);
      if (plans.length > 0) throw new ConflictError(`notification channel "${channel.name}" is named by review plan ${plans.map((p) => `"${p.name}"`).join(', ')}: remove it there first`);
      em.remove(channel);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), { action: 'NOTIFICATION_CHANNEL_DELETED', targetType: 'NotificationChannel', targetId: id, metadata: { name: channel.name, channelType: channel.channelType } });
      return id;
    });
  }

  /** Sends a test message now (not through the delivery queue); the outcome is returned and audited, not thrown. */
  async test(actor: Actor, origin: Origin, id: string): Promise<ChannelCheck> {
    const channel = await this.store.tenant(actor.orgId, (em) => this.#mustFind(em, id));
    const check = await this.#attempt(this.#targetOf(channel), { id: `test-${crypto.randomUUID()}`, message: testMessage(channel.name, new Date()) });
    await this.store.tenant(actor.orgId, (em) =>
      this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), { action: 'NOTIFICATION_CHANNEL_TESTED', targetType: 'NotificationChannel', targetId: id, metadata: { name: channel.name, ok: check.ok, message: check.message } }),
    );
    return check;
  }

  async deliveries(actor: Actor, filter: { channelId: string | null; status: DeliveryStatus | null }, offset: number, limit: number): Promise<NotificationDelivery[]> {
    return this.store.tenant(actor.orgId, (em) =>
      em.find(
        NotificationDeliveryEntity,
        { ...(filter.channelId ? { channelId: filter.channelId } : {}), ...(filter.status ? { status: filter.status } : {}) },
        { orderBy: { createdAt: 'desc', id: 'desc' }, offset, limit },
      ),
    );
  }

  /** One run of the job: new audit events become deliveries, then due deliveries are sent (an organization's first run only places its cursor). */
  async runOnce(now = new Date()): Promise<{ derived: number; delivered: number; failed: number; nextDueAt: Date | null }> {
    // With system SMTP every organization's approvers are mailed; without it only organizations with channels have work.
    const orgs = await this.store.system((em) =>
      em.execute<{ organization_id: string }[]>(
        this.#options.smtp.host ? `select id as organization_id from organizations where not disabled` : `select distinct organization_id from notification_channels where active`,
      ),
    );
    let derived = 0;
    for (const { organization_id: orgId } of orgs) {
      // One organization's failure (its cursor stays where it was, to be tried again) never holds up the others.
      derived += await this.#derive(orgId, now).catch((error: unknown) => {
        this.#log.error({ err: error, organizationId: orgId }, 'notifications: deriving deliveries failed');
        return 0;
      });
    }
    const due = await this.store.system((em) =>
      em.execute<{ id: string; organization_id: string; destination: string }[]>(
        `select d.id, d.organization_id, coalesce(d.channel_id::text, 'mail:' || d.recipient_user_id::text) as destination
           from notification_deliveries d left join audit_events e on e.id = d.audit_event_id
          where d.status = 'PENDING' and d.next_attempt_at <= ? order by d.next_attempt_at, e.seq limit ?`,
        [now, SEND_BATCH],
      ),
    );
    let delivered = 0;
    let failed = 0;
    // A few senders at once, so one slow or unreachable endpoint does not hold up the others (a store connection
    // is held only to claim and to record, never while sending). One destination's deliveries go to one sender, in
    // the order of their events, so a channel hears "approved" after "waiting for review".
    const byDestination = Map.groupBy(due, (row) => row.destination);
    const queue = [...byDestination.values()];
    const sender = async () => {
      for (let rows = queue.shift(); rows; rows = queue.shift()) {
        for (const next of rows) {
          const outcome = await this.#deliver(next.organization_id, next.id, now);
          if (outcome === 'DELIVERED') delivered += 1;
          else if (outcome !== null) failed += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    const [next] = await this.store.system((em) => em.execute<{ due: Date | string | null }[]>(`select min(next_attempt_at) as due from notification_deliveries where status = 'PENDING'`));
    return { derived, delivered, failed, nextDueAt: next?.due ? new Date(next.due) : null };
  }

  /** The organization's audit events after its cursor, as delivery rows; skipped while another replica holds the cursor. */
  async #derive(orgId: string, now: Date): Promise<number> {
    return this.store.tenant(orgId, async (em) => {
      const cursor = await em.findOne(NotificationCursorEntity, { organizationId: orgId }, { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE });
      if (!cursor) {
        // Locked by another replica, or not there yet: the organization's announcements start with the events
        // after its first channel was created (or now, when approver mails come first), not with its whole
        // history. (Created here, outside the channel's own transaction, which holds the audit chain's lock.)
        await em.execute(
          `insert into notification_cursors (organization_id, last_seq, updated_at)
           select ?, coalesce(min(seq) filter (where action = 'NOTIFICATION_CHANNEL_CREATED'), max(seq), 0), now() from audit_events where organization_id = ?
           on conflict do nothing`,
          [orgId, orgId],
        );
        return 0;
      }
      const events = await em.execute<{ id: string; seq: string | number; action: string; target_id: string | null; metadata: Record<string, unknown>; created_at: Date | string }[]>(
        `select id, seq, action, target_id, metadata, created_at from audit_events where organization_id = ? and seq > ? order by seq limit ?`,
        [orgId, cursor.lastSeq, EVENT_BATCH],
      );
      if (events.length === 0) return 0;
      const channels = await em.find(NotificationChannelEntity, { active: true });
      let created = 0;
      for (const row of events) {
        if (!row.target_id) continue;
        const targetId = row.target_id;
        const event = await eventOf({ action: row.action, metadata: row.metadata }, async () => (await em.count(ReviewDecisionEntity, { requestId: targetId })) > 0);
        if (!event) continue;
        const announced = await this.#announcement(em, event, targetId, new Date(row.created_at));
        if (!announced) continue;
        const occurredAt = new Date(row.created_at);
        // A channel hears of what happens after it was created (the cursor may be far behind after a time without channels).
        const open = channels.filter((c) => c.createdAt <= occurredAt);
        const recipients = event === 'BREAK_GLASS_USED' ? open : open.filter((c) => c.allEvents || announced.planChannelIds.includes(c.id));
        for (const channel of recipients) {
          em.create(NotificationDeliveryEntity, { organizationId: orgId, channelId: channel.id, auditEventId: row.id, event, payload: { ...announced.message }, nextAttemptAt: now });
          created += 1;
        }
        // The approvers of the stage hear of a request waiting for them by mail, when the server has SMTP.
        if (event === 'REVIEW_REQUESTED' && announced.request && this.#options.smtp.host) {
          for (const userId of await approversOf(em, announced.request)) {
            em.create(NotificationDeliveryEntity, { organizationId: orgId, recipientUserId: userId, auditEventId: row.id, event, payload: { ...announced.message }, nextAttemptAt: now });
            created += 1;
          }
        }
      }
      cursor.lastSeq = Number(events.at(-1)!.seq);
      await em.flush();
      return created;
    });
  }

  /** The message of an event and the channels its review plan names; null when its target is gone. */
  async #announcement(em: EntityManager, event: NotificationEvent, targetId: string, occurredAt: Date): Promise<{ message: NotificationMessage; planChannelIds: string[]; request?: QueryRequest } | null> {
    if (event === 'ACCESS_REQUESTED' || event === 'ACCESS_DECIDED') {
      const access = await em.findOne(AccessRequestEntity, { id: targetId });
      if (!access) return null;
      const [datasource, requester] = await Promise.all([em.findOne(DatasourceEntity, { id: access.datasourceId }), em.findOne(UserEntity, { id: access.requesterId })]);
      const facts = { id: access.id, datasource: datasource?.name ?? 'a removed datasource', requestedBy: nameOf(requester), durationMinutes: access.durationMinutes, status: access.status };
      return { message: accessMessage(event, facts, occurredAt, this.#publicUrl), planChannelIds: await planChannelsOf(em, datasource?.reviewPlanId ?? null) };
    }
    const request = await em.findOne(QueryRequestEntity, { id: targetId });
    if (!request) return null;
    const [datasource, submitter] = await Promise.all([em.findOne(DatasourceEntity, { id: request.datasourceId }), em.findOne(UserEntity, { id: request.submittedById })]);
    const facts = {
      id: request.id,
      datasource: datasource?.name ?? 'a removed datasource',
      submittedBy: nameOf(submitter),
      queryType: request.queryType,
      riskLevel: request.riskLevel ?? null,
      sqlText: request.sqlText,
      status: request.status,
    };
    return { message: queryMessage(event, facts, occurredAt, this.#publicUrl), planChannelIds: await planChannelsOf(em, datasource?.reviewPlanId ?? null), request };
  }

  /** Claims one due delivery for a lease, sends it, records the outcome; null when another replica has it. */
  async #deliver(orgId: string, id: string, now: Date): Promise<DeliveryStatus | 'RETRY' | null> {
    const lease = 3 * this.#options.timeoutMs + 5_000;
    const claimed = await this.store.tenant(orgId, async (em) => {
      const delivery = await em.findOne(NotificationDeliveryEntity, { id, status: 'PENDING', nextAttemptAt: { $lte: now } }, { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE });
      if (!delivery) return null;
      const channel = delivery.channelId ? await em.findOne(NotificationChannelEntity, { id: delivery.channelId }) : null;
      const recipient = delivery.recipientUserId ? await em.findOne(UserEntity, { id: delivery.recipientUserId, active: true }) : null;
      // Until the lease ends no other run picks it up; a replica that dies mid-send leaves it due again then.
      em.assign(delivery, { attempts: delivery.attempts + 1, nextAttemptAt: new Date(now.getTime() + lease) });
      await em.flush();
      return { delivery, channel, recipient };
    });
    if (!claimed) return null;
    const { delivery, channel, recipient } = claimed;
    // A delivery without a channel is a mail to one person over the system SMTP server.
    const target: ChannelTarget | null = channel?.active ? this.#targetOf(channel) : recipient ? { channelType: 'EMAIL', config: { to: recipient.email } } : null;
    const check: ChannelCheck = target
      ? await this.#attempt(target, { id: delivery.id, message: delivery.payload as unknown as NotificationMessage })
      : { ok: false, message: channel ? 'the channel is inactive' : 'the recipient is no longer active' };
    const retryIn = this.#options.retryDelaysMs[delivery.attempts - 1];
    const status: DeliveryStatus = check.ok ? 'DELIVERED' : target && retryIn !== undefined ? 'PENDING' : 'DEAD';
    await this.store.tenant(orgId, async (em) => {
      // Only the attempt that claimed it records the outcome (a lease that ran out was claimed again).
      await em.nativeUpdate(
        NotificationDeliveryEntity,
        { id, attempts: delivery.attempts },
        {
          status,
          lastError: check.ok ? null : check.message,
          deliveredAt: check.ok ? new Date() : null,
          nextAttemptAt: status === 'PENDING' ? new Date(Date.now() + retryIn!) : delivery.nextAttemptAt,
        },
      );
    });
    if (status === 'DEAD') this.#log.warn({ deliveryId: id, channelId: delivery.channelId, attempts: delivery.attempts, error: check.message }, 'notification delivery is DEAD');
    return status === 'PENDING' ? 'RETRY' : status;
  }

  /** One attempt; the outcome is returned, never thrown. */
  async #attempt(target: ChannelTarget, delivery: Delivery): Promise<ChannelCheck> {
    try {
      await send(target, delivery, this.#options);
      return { ok: true, message: 'delivered' };
    } catch (error) {
      if (error instanceof DeliveryFailed) return { ok: false, message: error.message };
      this.#log.error({ err: error, channelType: target.channelType }, 'notification sender failed unexpectedly');
      return { ok: false, message: 'internal error while sending' };
    }
  }

  /** The channel's whole config, secrets decrypted (for sending only). */
  #targetOf(channel: NotificationChannel): ChannelTarget {
    return { channelType: channel.channelType, config: { ...channel.settings, ...this.#secretsOf(channel) } };
  }

  #secretsOf(channel: NotificationChannel): ChannelConfig {
    return channel.secretsEncrypted ? (JSON.parse(decryptSecret(this.#encryptionKey, channel.secretsEncrypted)) as ChannelConfig) : {};
  }

  async #mustFind(em: EntityManager, id: string): Promise<NotificationChannel> {
    const channel = await em.findOne(NotificationChannelEntity, { id });
    if (!channel) throw new NotFoundError('NotificationChannel', id);
    return channel;
  }
}

/** Review plans name channels of their own organization only (RLS scopes the lookup to it). */
export async function assertChannelsExist(em: EntityManager, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await em.find(NotificationChannelEntity, { id: { $in: [...ids] } }, { fields: ['id'] });
  const missing = ids.filter((id) => !found.some((c) => c.id === id));
  if (missing.length > 0) throw new ValidationError(`notifyChannelIds: unknown notification channel ${missing.join(', ')}`, [{ path: 'notifyChannelIds', message: `unknown notification channel ${missing.join(', ')}` }]);
}

/** Active people who may decide the request's current stage, its submitter aside (at most MAX_APPROVER_MAILS). */
async function approversOf(em: EntityManager, request: QueryRequest): Promise<string[]> {
  const approvers = stageApprovers(request);
  const users = await em.find(UserEntity, { active: true, kind: 'HUMAN', id: { $ne: request.submittedById } }, { fields: ['id', 'role'], orderBy: { id: 'asc' } });
  const reviewers = users.filter((u) => roleHas(u.role, 'QUERY_REVIEW'));
  const groupIds = approvers.flatMap((a) => (a.groupId ? [a.groupId] : []));
  const memberships = groupIds.length ? await em.find(GroupMembershipEntity, { groupId: { $in: groupIds } }, { fields: ['userId', 'groupId'] }) : [];
  return reviewers
    // The same rule as deciding (eligibleApprover reads the actor's role and id only).
    .filter((u) => eligibleApprover({ userId: u.id, role: u.role } as Actor, memberships.filter((m) => m.userId === u.id).map((m) => m.groupId), approvers))
    .slice(0, MAX_APPROVER_MAILS)
    .map((u) => u.id);
}

async function planChannelsOf(em: EntityManager, planId: string | null): Promise<string[]> {
  if (!planId) return [];
  return (await em.findOne(ReviewPlanEntity, { id: planId }, { fields: ['notifyChannelIds'] }))?.notifyChannelIds ?? [];
}

function nameOf(user: { displayName?: string | null; email: string } | null): string {
  return user ? (user.displayName || user.email) : 'a removed user';
}

function sameMap(a: ChannelConfig, b: ChannelConfig): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}

/** Settings that say where a channel's secrets go (URLs and hosts) and differ between `before` and `after`. */
function movedDestinations(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => /(^|_)(url|host)$/.test(key) && before[key] !== after[key]).sort();
}

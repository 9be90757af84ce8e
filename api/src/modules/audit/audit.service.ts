/**
 * The audit log (FEATURES G1): every change appends an event in the same transaction as the change, chained
 * per organization; `verify` walks the chain and names the first row that does not fit.
 */
import { createHash, randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { Bus } from '../../bus/bus.ts';
import type { EntityManager, Store } from '../../store/store.ts';
import { AuditEventEntity, type AuditEvent, type AuditSource } from './audit-event.entity.ts';
import { anchorMac, chainHash, sortedJson, type ChainedFields } from './chain.ts';
import { OrganizationEntity } from '../orgs/organization.entity.ts';

/** Who did it and from where; built from the request by the caller. */
export interface AuditOrigin {
  actorId: string | null;
  actorType: 'USER' | 'SERVICE_ACCOUNT' | 'SYSTEM' | 'ANONYMOUS';
  ipAddress: string | null;
  userAgent: string | null;
  source: AuditSource;
}

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  metadata?: Record<string, unknown>;
}

export interface AuditFilter {
  action?: string | null;
  actorId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  source?: AuditSource | null;
  from?: Date | null;
  to?: Date | null;
}

export type ChainBreak = 'HASH_MISMATCH' | 'PREVIOUS_HASH_MISMATCH' | 'ROW_MISSING_BEFORE' | 'ROWS_MISSING_AT_END' | 'ANCHOR_MISMATCH';

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBrokenEventId: string | null;
  firstBrokenSeq: number | null;
  reason: ChainBreak | null;
}

export const MAX_EXPORT_ROWS = 100_000;
const VERIFY_BATCH = 2_000;

export const auditTopic = (orgId: string) => `audit:${orgId}`;

interface ChainHead {
  seq: number;
  hash: string | null;
  /** The organization's configuration version when the chain was locked. */
  configVersion: number;
  /** An event of this transaction may change configuration: the version moves on at commit. */
  configChanged: boolean;
  /** The events appended in this transaction, written just before it commits. */
  pending: (ChainedFields & { previousHash: string | null; hash: string })[];
}

/**
 * Events that never change what a configuration read returns (a query's own lifecycle, sign-ins, exports).
 * Anything else — including an action added later and not listed here — moves the configuration version on.
 */
const CONFIGURATION_NEUTRAL = new Set([
  'QUERY_SUBMITTED',
  'QUERY_ANALYZED',
  'QUERY_APPROVED',
  'QUERY_REJECTED',
  'QUERY_REVIEW_REQUIRED',
  'QUERY_DECISION',
  'QUERY_REVISED',
  'QUERY_CANCELLED',
  'QUERY_EXECUTION_STARTED',
  'QUERY_EXECUTED',
  'QUERY_FAILED',
  'QUERY_TIMED_OUT',
  'QUERY_IMPACT_PREVIEWED',
  'QUERY_REPLICA_FALLBACK',
  'QUERY_BREAK_GLASS_EXECUTED',
  'QUERY_RUN_DISCARDED',
  'QUERY_AI_REVIEWED',
  'QUERY_AI_PENDING',
  'AI_CONFIG_TESTED',
  'NOTIFICATION_CHANNEL_TESTED',
  'DATASOURCE_CONNECTION_TESTED',
  'QUERY_TEMPLATE_USED',
  'REQUEST_GROUP_SUBMITTED',
  'REQUEST_GROUP_REJECTED',
  'REQUEST_GROUP_CANCELLED',
  'REQUEST_GROUP_EXECUTION_STARTED',
  'BREAK_GLASS_ACKNOWLEDGED',
  'USER_LOGIN',
  'USER_LOGIN_FAILED',
  'USER_LOGOUT',
  'SESSION_REFRESHED',
  'AUDIT_EXPORTED',
]);

function configChanging(action: string): boolean {
  return !CONFIGURATION_NEUTRAL.has(action);
}

export class AuditService {
  /** Chain heads per open transaction (its entity manager), valid while the transaction holds the chain lock. */
  private readonly heads = new WeakMap<EntityManager, Map<string, ChainHead>>();
  private readonly store: Store;
  private readonly bus: Bus;
  private readonly hmacKey: Buffer;

  constructor(store: Store, bus: Bus, hmacKey: Buffer) {
    this.store = store;
    this.bus = bus;
    this.hmacKey = hmacKey;
  }

  /**
   * Appends one event inside the caller's transaction; the transaction's events are written together just before
   * it commits (one statement with the anchor) and subscribers hear of them after commit. The first append of a transaction locks
   * the organization's chain until commit and reads its head; later appends in the same transaction continue
   * from the head they left, with no further round trip.
   */
  async append(em: EntityManager, orgId: string, origin: AuditOrigin, entry: AuditEntry): Promise<{ id: string; createdAt: Date }> {
    const head = await this.chainHead(em, orgId);
    const fields: ChainedFields = {
      id: randomUUID(),
      organizationId: orgId,
      seq: head.seq + 1,
      actorId: origin.actorId,
      actorType: origin.actorType,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      metadata: JSON.parse(sortedJson(entry.metadata ?? {})) as Record<string, unknown>,
      source: origin.source,
      ipAddress: origin.ipAddress,
      userAgent: origin.userAgent,
      createdAt: new Date(),
    };
    const hash = chainHash(this.hmacKey, fields, head.hash);
    head.pending.push({ ...fields, previousHash: head.hash, hash });
    head.seq = fields.seq;
    head.hash = hash;
    if (configChanging(entry.action)) head.configChanged = true;
    this.store.afterCommit(em, () => void this.bus.publish(auditTopic(orgId), { id: fields.id }));
    return { id: fields.id, createdAt: fields.createdAt };
  }

  /**
   * Locks the organization's chain for the rest of the transaction (its row, which holds the chain's anchor) and
   * returns its configuration version as of that lock: a configuration read at this version is still current,
   * since every configuration change appends under the same lock (see `configChanging`).
   */
  async lockChain(em: EntityManager, orgId: string): Promise<number> {
    return (await this.chainHead(em, orgId)).configVersion;
  }

  /** The chain head of `orgId` as this transaction sees it, locking the chain on first use. */
  private async chainHead(em: EntityManager, orgId: string): Promise<ChainHead> {
    let heads = this.heads.get(em);
    if (!heads) {
      heads = new Map();
      this.heads.set(em, heads);
    }
    const known = heads.get(orgId);
    if (known) return known;
    // One writer per organization chain at a time: the anchor row stays locked until the transaction ends. NO KEY
    // UPDATE, like the anchor update itself, so inserts of rows that reference the organization (which take KEY
    // SHARE on it) never wait for or deadlock with a chain writer. An organization created in this same
    // transaction has no row yet, and no events: nobody else can append to it.
    const [anchor] = await em.execute<{ seq: string | number; hash: string | null; config_version: string | number }[]>(
      'select audit_head_seq as seq, audit_head_hash as hash, config_version from organizations where id = ? for no key update',
      [orgId],
    );
    const head: ChainHead = { seq: anchor ? Number(anchor.seq) : 0, pending: [], hash: anchor?.hash ?? null, configVersion: anchor ? Number(anchor.config_version) : 0, configChanged: false };
    heads.set(orgId, head);
    // The transaction's events and the anchor that follows them are written in one statement, just before it
    // commits (after the transaction's other changes: an organization created in it must exist first).
    this.store.beforeCommit(em, async () => {
      if (head.pending.length === 0) return;
      await em.flush();
      const events = head.pending.map((e) => ({
        id: e.id,
        organization_id: e.organizationId,
        seq: e.seq,
        actor_id: e.actorId,
        actor_type: e.actorType,
        action: e.action,
        target_type: e.targetType,
        target_id: e.targetId,
        metadata: e.metadata,
        source: e.source,
        ip_address: e.ipAddress,
        user_agent: e.userAgent,
        created_at: e.createdAt.toISOString(),
        previous_hash: e.previousHash,
        hash: e.hash,
      }));
      const anchored = await em.execute<{ id: string }[]>(
        `with appended as (
           insert into audit_events (id, organization_id, seq, actor_id, actor_type, action, target_type, target_id, metadata, source, ip_address, user_agent, created_at, previous_hash, hash)
           select id, organization_id, seq, actor_id, actor_type, action, target_type, target_id, metadata, source, ip_address, user_agent, created_at, previous_hash, hash
             from jsonb_to_recordset(?::jsonb) as e(id uuid, organization_id uuid, seq bigint, actor_id uuid, actor_type text, action text, target_type text,
                  target_id text, metadata jsonb, source text, ip_address text, user_agent text, created_at timestamptz, previous_hash text, hash text)
         )
         update organizations set audit_head_seq = ?, audit_head_hash = ?, audit_head_mac = ?, config_version = config_version + ? where id = ? returning id`,
        [JSON.stringify(events), head.seq, head.hash, anchorMac(this.hmacKey, orgId, head.seq, head.hash), head.configChanged ? 1 : 0, orgId],
      );
      // Events without their anchor would read as a broken chain: never commit them.
      if (anchored.length !== 1) throw new Error(`audit: the chain anchor of organization ${orgId} was not updated`);
    });
    return head;
  }

  async find(orgId: string, id: string): Promise<AuditEvent | null> {
    return this.store.tenant(orgId, (em) => em.findOne(AuditEventEntity, { id }));
  }

  /** Newest first, by sequence number; `afterSeq` continues below a cursor. */
  async list(orgId: string, filter: AuditFilter, limit: number, beforeSeq: number | null): Promise<AuditEvent[]> {
    return this.store.tenant(orgId, (em) =>
      em.find(
        AuditEventEntity,
        { ...whereOf(filter), ...(beforeSeq !== null ? { seq: { $lt: beforeSeq } } : {}) },
        { orderBy: { seq: 'desc' }, limit },
      ),
    );
  }

  async verify(orgId: string): Promise<ChainVerification> {
    return this.store.tenant(orgId, async (em) => {
      let expectedSeq = 1;
      let previousHash: string | null = null;
      let checked = 0;
      for (;;) {
        const rows = await em.find(
          AuditEventEntity,
          { seq: { $gte: expectedSeq } },
          { orderBy: { seq: 'asc' }, limit: VERIFY_BATCH },
        );
        for (const row of rows) {
          const broken = (reason: ChainBreak): ChainVerification => ({
            ok: false,
            checked,
            firstBrokenEventId: row.id,
            firstBrokenSeq: row.seq,
            reason,
          });
          if (row.seq !== expectedSeq) return broken('ROW_MISSING_BEFORE');
          if (row.previousHash !== previousHash) return broken('PREVIOUS_HASH_MISMATCH');
          if (chainHash(this.hmacKey, row, previousHash) !== row.hash) return broken('HASH_MISMATCH');
          checked += 1;
          expectedSeq += 1;
          previousHash = row.hash;
        }
        em.clear();
        if (rows.length < VERIFY_BATCH) {
          const org = await em.findOneOrFail(OrganizationEntity, { id: orgId });
          const anchorValid = org.auditHeadMac === anchorMac(this.hmacKey, orgId, org.auditHeadSeq, org.auditHeadHash ?? null);
          if (checked === 0 && org.auditHeadSeq === 0) return { ok: true, checked, firstBrokenEventId: null, firstBrokenSeq: null, reason: null };
          if (anchorValid && org.auditHeadSeq > checked) {
            return { ok: false, checked, firstBrokenEventId: null, firstBrokenSeq: checked + 1, reason: 'ROWS_MISSING_AT_END' };
          }
          if (!anchorValid || org.auditHeadSeq !== checked || org.auditHeadHash !== previousHash) {
            return { ok: false, checked, firstBrokenEventId: null, firstBrokenSeq: org.auditHeadSeq, reason: 'ANCHOR_MISMATCH' };
          }
          return { ok: true, checked, firstBrokenEventId: null, firstBrokenSeq: null, reason: null };
        }
      }
    });
  }

  /** Exports for `actor` and records the export (with the file's SHA-256) in the same chain. */
  async exportFor(actor: { orgId: string; userId: string; kind: 'HUMAN' | 'SERVICE_ACCOUNT' }, request: { ipAddress: string | null; userAgent: string | null }, filter: AuditFilter) {
    const result = await this.exportCsv(actor.orgId, filter);
    await this.store.tenant(actor.orgId, (em) =>
      this.append(em, actor.orgId, auditOriginOf(actor, request), {
        action: 'AUDIT_EXPORTED',
        metadata: {
          filter: JSON.parse(JSON.stringify(filter)) as unknown,
          rowCount: result.rowCount,
          truncated: result.truncated,
          sha256: createHash('sha256').update(result.csv).digest('hex'),
        },
      }),
    );
    return result;
  }

  /** RFC 4180 CSV of the matching events, oldest first; at most MAX_EXPORT_ROWS. */
  async exportCsv(orgId: string, filter: AuditFilter): Promise<{ csv: string; rowCount: number; truncated: boolean }> {
    const rows = await this.store.tenant(orgId, (em) =>
      em.find(AuditEventEntity, whereOf(filter), { orderBy: { seq: 'asc' }, limit: MAX_EXPORT_ROWS + 1 }),
    );
    const truncated = rows.length > MAX_EXPORT_ROWS;
    const kept = rows.slice(0, MAX_EXPORT_ROWS);
    const csv = stringify(
      kept.map((e) => [
        e.id,
        e.seq,
        e.createdAt.toISOString(),
        e.actorId ?? '',
        e.actorType,
        e.action,
        e.targetType ?? '',
        e.targetId ?? '',
        e.source,
        e.ipAddress ?? '',
        e.userAgent ?? '',
        sortedJson(e.metadata),
        e.previousHash ?? '',
        e.hash,
      ]),
      {
        header: true,
        record_delimiter: '\r\n',
        columns: [
          'id', 'seq', 'created_at', 'actor_id', 'actor_type', 'action', 'target_type', 'target_id',
          'source', 'ip_address', 'user_agent', 'metadata', 'previous_hash', 'hash',
        ],
      },
    );
    return { csv, rowCount: kept.length, truncated };
  }
}

function whereOf(filter: AuditFilter) {
  const createdAt = {
    ...(filter.from ? { $gte: filter.from } : {}),
    ...(filter.to ? { $lt: filter.to } : {}),
  };
  return {
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    ...(filter.targetType ? { targetType: filter.targetType } : {}),
    ...(filter.targetId ? { targetId: filter.targetId } : {}),
    ...(filter.source ? { source: filter.source } : {}),
    ...(Object.keys(createdAt).length ? { createdAt } : {}),
  };
}

/** The audit origin of a request made by `actor` (null for anonymous calls such as sign-in). */
export function auditOriginOf(
  actor: { userId: string; kind: 'HUMAN' | 'SERVICE_ACCOUNT' } | null,
  request: { ipAddress: string | null; userAgent: string | null },
  source: AuditSource = 'API',
): AuditOrigin {
  return {
    actorId: actor?.userId ?? null,
    actorType: actor === null ? 'ANONYMOUS' : actor.kind === 'SERVICE_ACCOUNT' ? 'SERVICE_ACCOUNT' : 'USER',
    ipAddress: request.ipAddress,
    userAgent: request.userAgent,
    source,
  };
}

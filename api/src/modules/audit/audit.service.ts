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
  /** Continued from the head this server last saw, without the lock: see `continueKnownChain`. */
  unlocked: boolean;
}

/** The chain's state after a commit this server saw; the next writer may continue from it if it is still current. */
interface KnownHead {
  seq: number;
  hash: string | null;
  configVersion: number;
}

/** A statement for `Store.pipelined`. */
export interface ClosingStatement {
  text: string;
  values: (string | null)[];
}

/**
 * SQLSTATEs with which an unlocked append fails when the chain moved on since its head was seen: the anchor
 * update found no row at that head and version (the closing statement then divides by zero on purpose), or
 * another writer's event already took the sequence number.
 */
const CHAIN_MOVED_SQLSTATES = new Set(['22012', '23505']);

/** A transaction's events appended (a CTE) and the anchor moved to its new head; `?` parameters, see `appendedAnchor`. */
const APPENDED = `appended as (
     insert into audit_events (id, organization_id, seq, actor_id, actor_type, action, target_type, target_id, metadata, source, ip_address, user_agent, created_at, previous_hash, hash)
     select id, organization_id, seq, actor_id, actor_type, action, target_type, target_id, metadata, source, ip_address, user_agent, created_at, previous_hash, hash
       from jsonb_to_recordset(?::jsonb) as e(id uuid, organization_id uuid, seq bigint, actor_id uuid, actor_type text, action text, target_type text,
            target_id text, metadata jsonb, source text, ip_address text, user_agent text, created_at timestamptz, previous_hash text, hash text)
   )`;
const ANCHOR_MOVED = `update organizations set audit_head_seq = ?, audit_head_hash = ?, audit_head_mac = ?, config_version = config_version + ? where id = ?`;

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

/** `?` placeholders as `$1`, `$2`, … (the template has no other question marks). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function configChanging(action: string): boolean {
  return !CONFIGURATION_NEUTRAL.has(action);
}

export class AuditService {
  /** Chain heads per open transaction (its entity manager), valid while the transaction holds the chain lock. */
  private readonly heads = new WeakMap<EntityManager, Map<string, ChainHead>>();
  /** Per organization, the chain as this server's last commit (or lock) left it; maybe outdated, never trusted. */
  private readonly knownHeads = new Map<string, KnownHead>();
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
   * Lets `em` (of `Store.pipelined`) append to `orgId`'s chain without locking it, continuing from the head this
   * server last saw — when that head was seen at `configVersion`. Its events are then written by
   * `closingStatement`, which succeeds only if head and version are still the organization's; otherwise the
   * whole pipeline fails with an error `chainMoved` recognises, and the caller goes the locking way. False when
   * there is no such head (nothing is set up then).
   */
  continueKnownChain(em: EntityManager, orgId: string, configVersion: number): boolean {
    const known = this.knownHeads.get(orgId);
    if (!known || known.configVersion !== configVersion || this.heads.get(em)?.has(orgId)) return false;
    const heads = this.heads.get(em) ?? new Map<string, ChainHead>();
    heads.set(orgId, { ...known, pending: [], configChanged: false, unlocked: true });
    this.heads.set(em, heads);
    return true;
  }

  /**
   * The statement that writes the events `em` appended to `orgId`'s unlocked chain and moves its anchor, if the
   * anchor is still at the head they continue and the configuration still at its version; if not, it fails (a
   * division by zero: no row was anchored) and takes the pipeline's other statements with it. Events that change
   * configuration cannot be appended this way.
   */
  closingStatement(em: EntityManager, orgId: string): ClosingStatement {
    const head = this.heads.get(em)?.get(orgId);
    if (!head?.unlocked) throw new Error('audit: closingStatement needs a chain continued by continueKnownChain');
    if (head.configChanged) throw new Error('audit: an event that changes configuration needs the chain lock');
    const from = { seq: head.seq - head.pending.length, hash: head.pending[0]?.previousHash ?? head.hash, configVersion: head.configVersion };
    const values = this.appendedAnchor(head, orgId);
    this.store.afterCommit(em, () => this.saw(orgId, { seq: head.seq, hash: head.hash, configVersion: head.configVersion }));
    return {
      text: numbered(`with ${APPENDED}, anchored as (${ANCHOR_MOVED} and audit_head_seq = ?::bigint and audit_head_hash is not distinct from ?::text and config_version = ?::bigint returning id) select 1 / count(*)::int as anchored from anchored`),
      values: [...values, String(from.seq), from.hash, String(from.configVersion)],
    };
  }

  /** Whether `error` is an unlocked append's pipeline failing because the chain moved on (see `closingStatement`). */
  chainMoved(error: unknown): boolean {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' && CHAIN_MOVED_SQLSTATES.has(code);
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
    const head: ChainHead = {
      seq: anchor ? Number(anchor.seq) : 0,
      pending: [],
      hash: anchor?.hash ?? null,
      configVersion: anchor ? Number(anchor.config_version) : 0,
      configChanged: false,
      unlocked: false,
    };
    heads.set(orgId, head);
    // The transaction's events and the anchor that follows them are written in one statement, just before it
    // commits (after the transaction's other changes: an organization created in it must exist first).
    this.store.beforeCommit(em, async () => {
      if (head.pending.length === 0) return;
      await em.flush();
      const anchored = await em.execute<{ id: string }[]>(`with ${APPENDED} ${ANCHOR_MOVED} returning id`, this.appendedAnchor(head, orgId));
      // Events without their anchor would read as a broken chain: never commit them.
      if (anchored.length !== 1) throw new Error(`audit: the chain anchor of organization ${orgId} was not updated`);
    });
    if (anchor) this.store.afterCommit(em, () => this.saw(orgId, { seq: head.seq, hash: head.hash, configVersion: head.configVersion + (head.configChanged ? 1 : 0) }));
    return head;
  }

  /** The values of APPENDED and ANCHOR_MOVED for `head`'s pending events. */
  private appendedAnchor(head: ChainHead, orgId: string): (string | null)[] {
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
    return [JSON.stringify(events), String(head.seq), head.hash, anchorMac(this.hmacKey, orgId, head.seq, head.hash), head.configChanged ? '1' : '0', orgId];
  }

  /** Remembers the chain as a commit left it, unless a later state is already known. */
  private saw(orgId: string, head: KnownHead): void {
    const known = this.knownHeads.get(orgId);
    if (!known || known.seq <= head.seq) this.knownHeads.set(orgId, head);
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

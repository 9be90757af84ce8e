/**
 * The AI review job (FEATURES E2): requests waiting in PENDING_AI are reviewed by their datasource's model, then
 * continue exactly as a submission does (routing policies, auto-approval under the plan's threshold, review).
 * Every replica runs the job; a review is claimed in the store — the request row under FOR UPDATE SKIP LOCKED,
 * then a unique (request, revision) claim row taken over only when its lease ran out — so one replica calls the
 * model per revision, and a replica that dies mid-call is replaced after the lease. The model is called outside
 * any transaction; its verdict is applied under the request's lock, only if it is still PENDING_AI at that revision.
 */
import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { Actor } from '../../graphql/context.ts';
import type { Logger } from '../../logger.ts';
import type { Store } from '../../store/store.ts';
import type { AuditOrigin, AuditService } from '../audit/audit.service.ts';
import { DatasourceEntity, type Datasource } from '../datasources/datasource.entity.ts';
import type { ExplorerService } from '../explorer/explorer.service.ts';
import { UserEntity } from '../identity/user.entity.ts';
import { QueryRequestEntity, type QueryRequest } from '../requests/query-request.entity.ts';
import type { QueryRequestService } from '../requests/query-request.service.ts';
import { AiConfigEntity, type AiConfig } from './ai-config.entity.ts';
import type { AiConfigService } from './ai-config.service.ts';
import { AiReviewEntity } from './ai-review.entity.ts';
import type { AiVerdict } from './ai-risk.ts';
import { analyzerFor, type AiOutcome } from './analyzers.ts';

/** Requests looked at per run; the rest wait for the next run, which follows at once when woken. */
const BATCH = 50;
/** Reviews one replica runs at a time. */
const PARALLEL = 4;
/** How long a claim stands before another replica may take the review over (above the longest timeout, 120 s). */
const LEASE_SECONDS = 300;
/** The language of the model's messages. */
const LANGUAGE = 'English';

const AI_REVIEWER: AuditOrigin = { actorId: null, actorType: 'SYSTEM', ipAddress: null, userAgent: null, source: 'SYSTEM' };

interface Claimed {
  reviewId: string;
  request: QueryRequest;
  datasource: Datasource | null;
  config: AiConfig | null;
  submitter: Actor | null;
}

export class AiReviewService {
  private readonly store: Store;
  private readonly audit: AuditService;
  private readonly log: Logger;
  private readonly aiConfigs: AiConfigService;
  private readonly queryRequests: QueryRequestService;
  private readonly explorer: ExplorerService;

  constructor(deps: { store: Store; audit: AuditService; log: Logger; aiConfigs: AiConfigService; queryRequests: QueryRequestService; explorer: ExplorerService }) {
    this.store = deps.store;
    this.audit = deps.audit;
    this.log = deps.log;
    this.aiConfigs = deps.aiConfigs;
    this.queryRequests = deps.queryRequests;
    this.explorer = deps.explorer;
  }

  /** Reviews the requests waiting in PENDING_AI (those no other replica holds); returns how many it reviewed. */
  async runPending(): Promise<{ reviewed: number }> {
    const waiting = await this.store.system((em) =>
      em.execute<{ id: string; organization_id: string }[]>(`select id, organization_id from query_requests where status = 'PENDING_AI' order by created_at, id limit ?`, [BATCH]),
    );
    let reviewed = 0;
    for (let i = 0; i < waiting.length; i += PARALLEL) {
      // One review that fails unexpectedly does not stop the others; its request is tried again on a later run
      // (its claim's lease runs out) and times out at its plan's deadline at the latest.
      const done = await Promise.all(
        waiting.slice(i, i + PARALLEL).map((row) =>
          this.review(row.organization_id, row.id).catch((error: unknown) => {
            this.log.error({ requestId: row.id, err: error }, 'AI review failed');
            return false;
          }),
        ),
      );
      reviewed += done.filter(Boolean).length;
    }
    return { reviewed };
  }

  /** One request: claim, ask the model, apply the verdict. False when another replica has it or it moved on. */
  private async review(orgId: string, requestId: string): Promise<boolean> {
    const claimed = await this.claim(orgId, requestId);
    if (!claimed) return false;
    const outcome = await this.analyze(claimed);
    if (!outcome.ok) this.log.warn({ requestId, aiConfigId: claimed.config?.id ?? null, reason: outcome.reason }, 'AI review unavailable; the request goes to human review');
    // Which model answered, how fast and at what cost: on the review row and in the audit event alike.
    const call = {
      aiConfigId: claimed.config?.id ?? null,
      provider: claimed.config?.aiProvider ?? null,
      model: outcome.model,
      latencyMs: outcome.latencyMs,
      inputTokens: outcome.usage.inputTokens,
      outputTokens: outcome.usage.outputTokens,
    };
    await this.store.tenant(orgId, async (em) => {
      const review = await em.findOneOrFail(AiReviewEntity, { id: claimed.reviewId });
      em.assign(review, {
        status: 'DONE',
        ...call,
        score: outcome.ok ? outcome.score : null,
        level: outcome.ok ? outcome.level : null,
        error: outcome.ok ? null : outcome.reason,
      });
      // Cancelled or revised meanwhile: the verdict stays on record, the request is not touched.
      const request = await em.findOne(QueryRequestEntity, { id: requestId, status: 'PENDING_AI', revision: claimed.request.revision }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!request) return;
      await this.audit.append(em, orgId, AI_REVIEWER, {
        action: 'QUERY_AI_REVIEWED',
        targetType: 'QueryRequest',
        targetId: requestId,
        // Cost and latency, and what the model found; never the prompt (nor anything secret in it).
        metadata: {
          ...call,
          ok: outcome.ok,
          ...(outcome.ok ? { riskScore: outcome.score, riskLevel: outcome.level, issues: outcome.issues.map((i) => i.code) } : { error: outcome.reason }),
        },
      });
      await this.queryRequests.continueAfterAiReview(em, request, verdictOf(outcome));
    });
    return true;
  }

  private async claim(orgId: string, requestId: string): Promise<Claimed | null> {
    return this.store.tenant(orgId, async (em) => {
      const request = await em.findOne(QueryRequestEntity, { id: requestId, status: 'PENDING_AI' }, { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE });
      if (!request) return null;
      // The unique (request, revision) claim decides between replicas whatever their snapshots saw.
      const [taken] = await em.execute<{ id: string }[]>(
        `insert into ai_reviews (id, organization_id, request_id, revision, status, attempts, claimed_at, created_at)
           values (?, ?, ?, ?, 'RUNNING', 1, now(), now())
         on conflict (request_id, revision) do update set attempts = ai_reviews.attempts + 1, claimed_at = now()
           where ai_reviews.status = 'RUNNING' and ai_reviews.claimed_at < now() - make_interval(secs => ?)
         returning id`,
        [randomUUID(), orgId, requestId, request.revision, LEASE_SECONDS],
      );
      if (!taken) return null;
      const datasource = await em.findOne(DatasourceEntity, { id: request.datasourceId });
      const config = datasource?.aiConfigId ? await em.findOne(AiConfigEntity, { id: datasource.aiConfigId }) : null;
      const user = await em.findOne(UserEntity, { id: request.submittedById });
      const submitter: Actor | null = user
        ? { userId: user.id, orgId, email: user.email, role: user.role, kind: user.kind, platformAdmin: false, via: 'SCHEDULE', sessionId: null, apiKeyId: null }
        : null;
      return { reviewId: taken.id, request, datasource, config, submitter };
    });
  }

  private async analyze({ request, datasource, config, submitter }: Claimed): Promise<AiOutcome> {
    const none = { model: config?.model ?? 'none', latencyMs: 0, usage: { inputTokens: null, outputTokens: null } };
    if (!datasource || !config) return { ok: false, reason: 'the datasource has no AI configuration any more', ...none };
    return analyzerFor(this.aiConfigs.analyzerSettings(config)).analyze({
      sql: request.sqlText,
      dbType: datasource.dbType,
      schemaContext: await this.schemaContext(submitter, datasource.id, request.tables),
      language: LANGUAGE,
    });
  }

  /**
   * `table(column, …)` for each table the statement names, as the submitter may see them in the schema explorer:
   * names only (no comments, no statistics, no rows). The bare table names when the schema cannot be read.
   */
  private async schemaContext(submitter: Actor | null, datasourceId: string, tables: readonly string[]): Promise<string[]> {
    const view = submitter ? await this.explorer.schema(submitter, datasourceId, null).catch(() => null) : null;
    const known = new Map((view?.schemas ?? []).flatMap((schema) => schema.tables).flatMap((table) => [[table.qualifiedName.toLowerCase(), table] as const, [table.name.toLowerCase(), table] as const]));
    return tables.map((name) => {
      const table = known.get(name.toLowerCase());
      return table ? `${table.qualifiedName}(${table.columns.map((c) => c.name).join(', ')})` : name;
    });
  }
}

function verdictOf(outcome: AiOutcome): AiVerdict {
  return outcome.ok ? { ok: true, score: outcome.score, level: outcome.level, issues: outcome.issues, model: outcome.model } : { ok: false, reason: outcome.reason, model: outcome.model };
}

/** GraphQL for governed queries: submit, review, run, cancel, read back, and follow live. */
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { NotFoundError } from '../../errors.ts';
import { builder, requires } from '../../graphql/builder.ts';
import { actorOf, offsetPage } from '../../graphql/helpers.ts';
import { DatasourceRef } from '../datasources/datasource.graphql.ts';
import { UserRef } from '../identity/identity.graphql.ts';
import { RiskLevelEnum } from '../review/review-plan.graphql.ts';
import { QueryRejectedError } from './classify.ts';
import {
  DECISIONS,
  QUERY_STATUSES,
  RETRO_REVIEW_STATUSES,
  QUERY_TYPES,
  type QueryRequest,
  type ResultSnapshot,
  type ReviewDecision,
  type RiskIssue,
} from './query-request.entity.ts';
import { breakGlassTopic, requestTopic, reviewQueueTopic, type BulkDecisionOutcome } from './query-request.service.ts';
import { diffResults, type ResultDiff } from './result-diff.ts';
import type { AnalyzedStatement } from './sql-analysis.service.ts';

export const QueryRequestRef = builder.objectRef<QueryRequest>('QueryRequest');

export function defineQueryRequestSchema(): void {
  const StatusEnum = builder.enumType('QueryStatus', { values: QUERY_STATUSES });
  const TypeEnum = builder.enumType('QueryType', { values: QUERY_TYPES });
  const DecisionEnum = builder.enumType('ReviewDecisionKind', { values: DECISIONS });
  const RetroReviewEnum = builder.enumType('RetroReviewStatus', { values: RETRO_REVIEW_STATUSES });

  const RiskIssueRef = builder.objectRef<RiskIssue>('RiskIssue').implement({
    fields: (t) => ({
      code: t.exposeString('code'),
      severity: t.exposeString('severity'),
      message: t.exposeString('message'),
      suggestion: t.exposeString('suggestion', { nullable: true }),
    }),
  });

  const ResultRef = builder.objectRef<ResultSnapshot>('QueryResult').implement({
    description: 'The masked result, as stored with the request (at most the row cap).',
    fields: (t) => ({
      columns: t.field({
        type: [builder.simpleObject('QueryResultColumn', { fields: (c) => ({ name: c.string(), type: c.string() }) })],
        resolve: (r) => r.columns,
      }),
      rows: t.field({ type: 'JSON', description: 'One array of values per row, masked.', resolve: (r) => r.rows }),
      rowCount: t.exposeInt('rowCount'),
      truncated: t.exposeBoolean('truncated', { description: 'More rows existed than the row cap allowed.' }),
      csv: t.string({
        description: 'The same rows as RFC 4180 CSV with a header row.',
        resolve: (r) => stringify([r.columns.map((c) => c.name), ...r.rows.map((row) => row.map(csvCell))], { record_delimiter: '\r\n' }),
      }),
    }),
  });

  const DecisionRef = builder.objectRef<ReviewDecision>('ReviewDecision').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      reviewerId: t.exposeID('reviewerId'),
      stage: t.exposeInt('stage'),
      decision: t.expose('decision', { type: DecisionEnum }),
      comment: t.exposeString('comment', { nullable: true }),
      sqlHash: t.exposeString('sqlHash', { description: 'The statement the reviewer decided on.' }),
      revision: t.exposeInt('revision', { description: 'The revision of the request it was about.' }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  const ResultDiffRef = builder.objectRef<ResultDiff>('ResultDiff').implement({
    fields: (t) => ({
      comparable: t.exposeBoolean('comparable', { description: 'Same columns in the same order; otherwise rows are not compared.' }),
      added: t.field({ type: 'JSON', description: 'Rows only in this run (at most 100 listed).', resolve: (d) => d.added }),
      removed: t.field({ type: 'JSON', description: 'Rows only in the previous run (at most 100 listed).', resolve: (d) => d.removed }),
      addedCount: t.exposeInt('addedCount'),
      removedCount: t.exposeInt('removedCount'),
      unchangedCount: t.exposeInt('unchangedCount'),
      partial: t.exposeBoolean('partial', { description: 'A run hit its row cap: rows beyond it were not compared.' }),
    }),
  });

  QueryRequestRef.implement({
    description: 'One governed statement (or BEGIN … COMMIT batch), from submission to its outcome.',
    fields: (t) => ({
      id: t.exposeID('id'),
      datasourceId: t.exposeID('datasourceId'),
      datasource: t.field({ type: DatasourceRef, nullable: true, resolve: (r, _a, ctx) => ctx.services.datasources.ofRequest(r.organizationId, r.datasourceId) }),
      submittedById: t.exposeID('submittedById'),
      submittedBy: t.field({ type: UserRef, nullable: true, resolve: (r, _a, ctx) => ctx.services.users.get(r.organizationId, r.submittedById) }),
      clientRequestId: t.exposeString('clientRequestId', { nullable: true }),
      query: t.exposeString('sqlText'),
      sqlHash: t.exposeString('sqlHash', { description: 'SHA-256 of the statement; approvals are bound to it.' }),
      queryType: t.expose('queryType', { type: TypeEnum }),
      readOnly: t.exposeBoolean('readOnly', { description: 'Proven read-only by the parser.' }),
      tables: t.exposeStringList('tables'),
      hasWhere: t.exposeBoolean('hasWhere'),
      hasLimit: t.exposeBoolean('hasLimit'),
      transactional: t.exposeBoolean('transactional'),
      status: t.expose('status', { type: StatusEnum }),
      justification: t.exposeString('justification', { nullable: true }),
      scheduledFor: t.expose('scheduledFor', { type: 'DateTime', nullable: true }),
      cicdOrigin: t.exposeBoolean('cicdOrigin'),
      breakGlass: t.exposeBoolean('breakGlass', { description: 'Run at once by break-glass, review skipped (every guard applied).' }),
      retroReviewStatus: t.expose('retroReviewStatus', { type: RetroReviewEnum, nullable: true, description: 'Break-glass only: PENDING until an admin acknowledges it.' }),
      retroReviewedById: t.exposeID('retroReviewedById', { nullable: true }),
      retroReviewedAt: t.expose('retroReviewedAt', { type: 'DateTime', nullable: true }),
      retroReviewComment: t.exposeString('retroReviewComment', { nullable: true }),
      riskScore: t.exposeInt('riskScore', { nullable: true }),
      riskLevel: t.expose('riskLevel', { type: RiskLevelEnum, nullable: true }),
      riskSummary: t.exposeString('riskSummary', { nullable: true }),
      riskIssues: t.field({ type: [RiskIssueRef], resolve: (r) => r.riskIssues }),
      decisionReason: t.exposeString('decisionReason', {
        nullable: true,
        description: 'Why it went where it went without a person deciding: the routing policy’s or the review plan’s reason, or the approval timeout.',
      }),
      currentStage: t.exposeInt('currentStage'),
      revision: t.exposeInt('revision', { description: '1, then one more at each revision; decisions belong to one revision.' }),
      rowsAffected: t.exposeInt('rowsAffected', { nullable: true }),
      durationMs: t.exposeInt('durationMs', { nullable: true }),
      error: t.exposeString('error', { nullable: true, description: "The database's error, verbatim, when FAILED." }),
      result: t.field({
        type: ResultRef,
        nullable: true,
        description: 'Null unless you submitted it or may view every request (an auditor reviewing break-glass sees the statement, not the data).',
        resolve: (r, _a, ctx) => (ctx.services.queryRequests.mayView(actorOf(ctx), r) ? (r.result ?? null) : null),
      }),
      decisions: t.loadableList({
        type: DecisionRef,
        load: (ids: string[], ctx) => ctx.services.queryRequests.decisions(actorOf(ctx).orgId, ids),
        resolve: (r) => r.id,
      }),
      previousRun: t.field({
        type: QueryRequestRef,
        nullable: true,
        description: 'The latest earlier run of the same statement (same canonical text) on this datasource that you may see.',
        resolve: (r, _a, ctx) => ctx.services.queryRequests.previousRun(actorOf(ctx), r),
      }),
      resultDiff: t.field({
        type: ResultDiffRef,
        nullable: true,
        description: 'Rows added and removed since previousRun (masked values, as stored); null unless both have a result.',
        resolve: async (r, _a, ctx) => {
          const previous = r.result ? await ctx.services.queryRequests.previousRun(actorOf(ctx), r) : null;
          return previous?.result && r.result ? diffResults(previous.result, r.result) : null;
        },
      }),
      executedAt: t.expose('executedAt', { type: 'DateTime', nullable: true }),
      executedOn: t.string({
        nullable: true,
        description: 'PRIMARY, or REPLICA when a read ran on the datasource’s read replica.',
        resolve: (r) => r.executedOn ?? null,
      }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    }),
  });

  const SubmitQueryInput = builder.inputType('SubmitQueryInput', {
    fields: (t) => ({
      datasourceId: t.id({ required: true, validate: z.uuid() }),
      query: t.string({ required: true, validate: z.string().max(100_000, 'must be at most 100000 characters') }),
      justification: t.string({ validate: z.string().max(5000) }),
      scheduledFor: t.field({ type: 'DateTime' }),
      clientRequestId: t.string({ description: 'Idempotency key: a repeat returns the same request.', validate: z.string().min(1).max(200) }),
      execute: t.boolean({ description: 'Run at once when approved on submission; the response carries the result.' }),
    }),
  });
  const DecideInput = builder.inputType('DecideQueryRequestInput', {
    fields: (t) => ({
      requestId: t.id({ required: true, validate: z.uuid() }),
      decision: t.field({ type: DecisionEnum, required: true }),
      comment: t.string({ description: 'Required to REJECT or REQUEST_CHANGES.', validate: z.string().max(5000) }),
      sqlHash: t.string({
        description: 'The sqlHash of the text you reviewed: when the request has been revised since, the decision is refused (Conflict).',
        validate: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex'),
      }),
    }),
  });
  const ReviseInput = builder.inputType('ReviseQueryRequestInput', {
    fields: (t) => ({
      requestId: t.id({ required: true, validate: z.uuid() }),
      query: t.string({ required: true, validate: z.string().max(100_000, 'must be at most 100000 characters') }),
      justification: t.string({ validate: z.string().max(5000) }),
    }),
  });
  const RequestFilter = builder.inputType('QueryRequestFilter', {
    fields: (t) => ({
      mine: t.boolean({ defaultValue: false, description: 'Only your own (always so without QUERY_VIEW_ALL).' }),
      status: t.field({ type: StatusEnum }),
    }),
  });

  builder.queryFields((t) => ({
    queryRequest: t.field({
      type: QueryRequestRef,
      nullable: true,
      ...requires('QUERY_SUBMIT_SELECT'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.queryRequests.get(actorOf(ctx), String(args.id)),
    }),
    queryRequests: t.connection({
      type: QueryRequestRef,
      description: 'Newest first: yours, or everyone’s with QUERY_VIEW_ALL.',
      ...requires('QUERY_SUBMIT_SELECT'),
      args: { filter: t.arg({ type: RequestFilter }) },
      resolve: (_root, args, ctx) =>
        offsetPage(args, (offset, limit) =>
          ctx.services.queryRequests.list(actorOf(ctx), { mine: args.filter?.mine ?? false, status: args.filter?.status ?? null }, offset, limit),
        ),
    }),
    reviewQueue: t.connection({
      type: QueryRequestRef,
      description: 'Requests waiting for a decision you may make now; never your own.',
      ...requires('QUERY_REVIEW'),
      resolve: (_root, args, ctx) => offsetPage(args, (offset, limit) => ctx.services.queryRequests.reviewQueue(actorOf(ctx), offset, limit)),
    }),
  }));

  const AnalyzeSqlInput = builder.inputType('AnalyzeSqlInput', {
    fields: (t) => ({
      datasourceId: t.id({ required: true, validate: z.uuid() }),
      sql: t.string({ required: true, description: 'A script: one or more statements.', validate: z.string().max(1_000_000, 'must be at most 1000000 characters') }),
    }),
  });
  const AnalyzedStatementRef = builder.objectRef<AnalyzedStatement>('AnalyzedStatement').implement({
    description: 'One statement of a script, classified and risk-scored as submitQuery would for you; nothing ran.',
    fields: (t) => ({
      startLine: t.exposeInt('startLine', { description: 'First line (1-based) of the statement in the script.' }),
      endLine: t.exposeInt('endLine'),
      text: t.exposeString('text'),
      queryType: t.field({ type: TypeEnum, nullable: true, resolve: (s) => s.classification?.type ?? null }),
      readOnly: t.boolean({ nullable: true, resolve: (s) => s.classification?.readOnly ?? null }),
      tables: t.stringList({ resolve: (s) => (s.classification?.tables ?? []).map((r) => (r.schema ? `${r.schema}.${r.name}` : r.name)) }),
      hasWhere: t.boolean({ nullable: true, resolve: (s) => s.classification?.hasWhere ?? null }),
      hasLimit: t.boolean({ nullable: true, resolve: (s) => s.classification?.hasLimit ?? null }),
      rejected: t.boolean({ description: 'Refused before any review: see rejectionReason and message.', resolve: (s) => s.rejection !== null }),
      rejectionReason: t.string({ nullable: true, resolve: (s) => s.rejection?.reason ?? null }),
      message: t.string({ nullable: true, resolve: (s) => s.rejection?.message ?? null }),
      allowed: t.exposeBoolean('allowed', { description: 'Your role and grants would admit it for review.' }),
      deniedReason: t.exposeString('deniedReason', { nullable: true }),
      riskScore: t.exposeInt('riskScore', { nullable: true }),
      riskLevel: t.expose('riskLevel', { type: RiskLevelEnum, nullable: true }),
      riskIssues: t.field({ type: [RiskIssueRef], resolve: (s) => s.riskIssues }),
    }),
  });
  const SqlAnalysisRef = builder.simpleObject('SqlAnalysis', {
    fields: (t) => ({ statements: t.field({ type: [AnalyzedStatementRef] }) }),
  });

  builder.queryFields((t) => ({
    analyzeSql: t.field({
      type: SqlAnalysisRef,
      description: 'Splits a script into statements and classifies, admits and risk-scores each one without submitting.',
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: {},
      args: { input: t.arg({ type: AnalyzeSqlInput, required: true }) },
      resolve: async (_root, { input }, ctx) => ({
        statements: await ctx.services.sqlAnalysis.analyze(actorOf(ctx), { datasourceId: String(input.datasourceId), sql: input.sql }),
      }),
    }),
  }));

  builder.mutationFields((t) => ({
    submitQuery: t.field({
      type: QueryRequestRef,
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: { types: [QueryRejectedError] },
      args: { input: t.arg({ type: SubmitQueryInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.queryRequests.submit(actorOf(ctx), ctx.origin, { ...input, datasourceId: String(input.datasourceId) }),
    }),
    decideQueryRequest: t.field({
      type: QueryRequestRef,
      ...requires('QUERY_REVIEW'),
      errors: {},
      args: { input: t.arg({ type: DecideInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.queryRequests.decide(actorOf(ctx), ctx.origin, { ...input, requestId: String(input.requestId) }),
    }),
    reviseQueryRequest: t.field({
      type: QueryRequestRef,
      description: 'After REQUEST_CHANGES, the submitter’s new text: judged and reviewed afresh from the first stage.',
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: { types: [QueryRejectedError] },
      args: { input: t.arg({ type: ReviseInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.queryRequests.revise(actorOf(ctx), ctx.origin, { ...input, requestId: String(input.requestId) }),
    }),
    executeQueryRequest: t.field({
      type: QueryRequestRef,
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: { types: [QueryRejectedError] },
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.queryRequests.execute(actorOf(ctx), ctx.origin, String(args.id)),
    }),
    cancelQueryRequest: t.field({
      type: QueryRequestRef,
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.queryRequests.cancel(actorOf(ctx), ctx.origin, String(args.id)),
    }),
  }));

  const ImpactStatementRef = builder.simpleObject('ImpactStatement', {
    fields: (t) => ({
      text: t.string(),
      rows: t.int({ description: 'Rows it would insert, update or delete if it ran now.' }),
      upperBound: t.boolean({ description: 'ON CONFLICT / ON DUPLICATE KEY / IGNORE: at most this many.' }),
      countSql: t.string({ nullable: true, description: 'The read-only query that counted them (none when known from VALUES).' }),
    }),
  });
  const ImpactPreviewRef = builder.simpleObject('ImpactPreview', {
    description: 'What a write would touch, counted without running it (under the submitter’s row security).',
    fields: (t) => ({ requestId: t.id(), statements: t.field({ type: [ImpactStatementRef] }), totalRows: t.int() }),
  });
  const BreakGlassInput = builder.inputType('BreakGlassQueryInput', {
    fields: (t) => ({
      datasourceId: t.id({ required: true, validate: z.uuid() }),
      query: t.string({ required: true, validate: z.string().max(100_000, 'must be at most 100000 characters') }),
      justification: t.string({ required: true, description: 'Why this cannot wait for review (at least 10 characters).', validate: z.string().max(5000) }),
    }),
  });
  const AcknowledgeInput = builder.inputType('AcknowledgeBreakGlassInput', {
    fields: (t) => ({
      requestId: t.id({ required: true, validate: z.uuid() }),
      comment: t.string({ required: true, validate: z.string().min(1).max(5000) }),
    }),
  });
  builder.queryFields((t) => ({
    breakGlassLog: t.connection({
      type: QueryRequestRef,
      description: 'Break-glass runs, newest first; pendingOnly: those still waiting for their retro-review.',
      ...requires('BREAK_GLASS_VIEW'),
      args: { pendingOnly: t.arg.boolean({ defaultValue: false }) },
      resolve: (_root, args, ctx) => offsetPage(args, (offset, limit) => ctx.services.queryRequests.breakGlassLog(actorOf(ctx), args.pendingOnly ?? false, offset, limit)),
    }),
  }));
  builder.mutationFields((t) => ({
    breakGlassQuery: t.field({
      type: QueryRequestRef,
      description: 'Emergency run: executes at once, skipping review but no guard; needs a can_break_glass grant (admins too). Audited prominently, announced to admins, retro-reviewed.',
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: { types: [QueryRejectedError] },
      args: { input: t.arg({ type: BreakGlassInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.queryRequests.breakGlass(actorOf(ctx), ctx.origin, { ...input, datasourceId: String(input.datasourceId) }),
    }),
    acknowledgeBreakGlass: t.field({
      type: QueryRequestRef,
      description: 'Closes the retro-review of a break-glass run; never by its submitter.',
      ...requires('BREAK_GLASS_REVIEW'),
      errors: {},
      args: { input: t.arg({ type: AcknowledgeInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.queryRequests.acknowledgeBreakGlass(actorOf(ctx), ctx.origin, { ...input, requestId: String(input.requestId) }),
    }),
  }));
  builder.subscriptionFields((t) => ({
    breakGlassExecuted: t.field({
      type: QueryRequestRef,
      description: 'Each break-glass run of your organization, as it starts.',
      ...requires('BREAK_GLASS_VIEW'),
      subscribe: (_root, _args, ctx) => ctx.services.bus.subscribe(breakGlassTopic(actorOf(ctx).orgId)),
      resolve: async (payload, _args, ctx) => {
        const request = await ctx.services.queryRequests.find(actorOf(ctx).orgId, String(payload['id']));
        if (!request) throw new NotFoundError('QueryRequest', String(payload['id']));
        return request;
      },
    }),
  }));

  const BulkOutcomeRef = builder.objectRef<BulkDecisionOutcome>('BulkDecisionOutcome').implement({
    description: 'One request of a bulk decision: decided (request) or not (error), independently of the others.',
    fields: (t) => ({
      requestId: t.exposeID('requestId'),
      request: t.field({ type: QueryRequestRef, nullable: true, resolve: (o) => o.request }),
      error: t.field({
        type: builder.simpleObject('BulkDecisionError', {
          description: 'Why this request was not decided: the code and message decideQueryRequest would have returned.',
          fields: (e) => ({ code: e.string(), message: e.string() }),
        }),
        nullable: true,
        // A plain object: an Error instance as a field value would be raised as a GraphQL error.
        resolve: (o) => (o.error ? { code: o.error.code, message: o.error.message } : null),
      }),
    }),
  });
  const DecideManyInput = builder.inputType('DecideQueryRequestsInput', {
    fields: (t) => ({
      requestIds: t.idList({ required: true, validate: z.array(z.uuid()).min(1).max(100, 'at most 100 requests at once') }),
      sqlHashes: t.stringList({
        description: 'The sqlHash of each request as you read it, in the order of requestIds: a request revised since is refused (Conflict) instead of decided.',
        validate: z.array(z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex')).max(100),
      }),
      decision: t.field({ type: DecisionEnum, required: true }),
      comment: t.string({ description: 'Required to REJECT or REQUEST_CHANGES; the same comment on each.', validate: z.string().max(5000) }),
    }),
  });
  builder.mutationFields((t) => ({
    previewQueryImpact: t.field({
      type: ImpactPreviewRef,
      description: 'Counts the rows a pending or approved write would touch, without running it; for its submitter and reviewers. Audited.',
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: { types: [QueryRejectedError] },
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.queryRequests.previewImpact(actorOf(ctx), ctx.origin, String(args.id)),
    }),
    decideQueryRequests: t.field({
      type: [BulkOutcomeRef],
      description: 'The same decision on up to 100 requests; each succeeds or fails on its own, with every rule of decideQueryRequest.',
      ...requires('QUERY_REVIEW'),
      errors: {},
      args: { input: t.arg({ type: DecideManyInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.queryRequests.decideMany(actorOf(ctx), ctx.origin, { ...input, requestIds: input.requestIds.map(String) }),
    }),
  }));

  builder.subscriptionFields((t) => ({
    queryRequestUpdated: t.field({
      type: QueryRequestRef,
      description: 'Every status change of one request you may see.',
      ...requires('QUERY_SUBMIT_SELECT'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      subscribe: async (_root, args, ctx) => {
        if (!(await ctx.services.queryRequests.get(actorOf(ctx), String(args.id)))) throw new NotFoundError('QueryRequest', String(args.id));
        return ctx.services.bus.subscribe(requestTopic(String(args.id)));
      },
      resolve: async (payload, _args, ctx) => {
        const request = await ctx.services.queryRequests.get(actorOf(ctx), String(payload['id']));
        if (!request) throw new NotFoundError('QueryRequest', String(payload['id']));
        return request;
      },
    }),
    reviewQueueChanged: t.field({
      type: QueryRequestRef,
      description: 'A request of your organization entered or left review.',
      ...requires('QUERY_REVIEW'),
      subscribe: (_root, _args, ctx) => ctx.services.bus.subscribe(reviewQueueTopic(actorOf(ctx).orgId)),
      resolve: async (payload, _args, ctx) => {
        const request = await ctx.services.queryRequests.get(actorOf(ctx), String(payload['id']));
        if (!request) throw new NotFoundError('QueryRequest', String(payload['id']));
        return request;
      },
    }),
  }));
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

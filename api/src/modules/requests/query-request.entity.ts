import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn, jsonListColumn, updatedAtColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import { UserEntity } from '../identity/user.entity.ts';
import { RequestGroupEntity } from '../requestgroups/request-group.entity.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';
import { RISK_LEVELS } from '../review/review-plan.entity.ts';
import type { ReviewPlanSettings } from '../review/review-plan.service.ts';
import type { RiskIssue } from '../risk/rule-analyzer.ts';

export const QUERY_STATUSES = [
  'PENDING_AI',
  'PENDING_REVIEW',
  'APPROVED',
  'EXECUTING',
  'EXECUTED',
  'REJECTED',
  'CHANGES_REQUESTED',
  'CANCELLED',
  'FAILED',
  'TIMED_OUT',
] as const;
export type QueryStatus = (typeof QUERY_STATUSES)[number];

export const RETRO_REVIEW_STATUSES = ['PENDING', 'ACKNOWLEDGED'] as const;

export const QUERY_TYPES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'DDL'] as const;

export type { RiskIssue };

/** The masked result kept with the request: never more than the row cap, never unmasked. */
export interface ResultSnapshot {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
}

/** One governed statement (or BEGIN … COMMIT batch) from submission to its outcome (FEATURES C4, C6). */
export const QueryRequestEntity = defineEntity({
  name: 'QueryRequest',
  tableName: 'query_requests',
  uniques: [{ properties: ['submittedById', 'clientRequestId'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    datasourceId: p.manyToOne(DatasourceEntity).mapToPk().fieldName('datasource_id').index().deleteRule('cascade'),
    submittedById: p.manyToOne(UserEntity).mapToPk().fieldName('submitted_by_id').index(),
    /** A repeated id from the same submitter returns the first request instead of creating another. */
    clientRequestId: p.string().length(200).nullable(),
    sqlText: p.text(),
    /** SHA-256 of sqlText: an approval is for exactly this statement. */
    sqlHash: p.string().length(64),
    /** SHA-256 of the canonical text (engines/sql/canonical.ts): finds earlier runs of the same statement. */
    canonicalHash: p.string().length(64).nullable(),
    queryType: p.enum(QUERY_TYPES),
    readOnly: p.boolean(),
    tables: p.json<string[]>(),
    hasWhere: p.boolean(),
    hasLimit: p.boolean(),
    transactional: p.boolean(),
    status: p.enum(QUERY_STATUSES).index(),
    justification: p.text().nullable(),
    scheduledFor: p.datetime().nullable().index(),
    /** While in review: when it times out (submission or revision + the plan's approval timeout). */
    reviewDeadline: p.datetime().nullable().index(),
    cicdOrigin: p.boolean().default(false),
    /** A member of a request group: reviewed, approved and run with it, in `groupPosition` order. */
    groupId: p.manyToOne(RequestGroupEntity).mapToPk().fieldName('group_id').nullable().index().deleteRule('cascade'),
    groupPosition: p.integer().nullable(),
    /** Run at once by break-glass (FEATURES C11), skipping review; its retro-review is tracked below. */
    breakGlass: p.boolean().default(false),
    retroReviewStatus: p.enum(RETRO_REVIEW_STATUSES).nullable(),
    retroReviewedById: p.manyToOne(UserEntity).mapToPk().fieldName('retro_reviewed_by_id').nullable(),
    retroReviewedAt: p.datetime().nullable(),
    retroReviewComment: p.text().nullable(),
    riskScore: p.integer().nullable(),
    riskLevel: p.enum(RISK_LEVELS).nullable(),
    riskSummary: p.text().nullable(),
    /** Why it went where it went without a person deciding: the routing policy's or the plan's reason, a timeout. */
    decisionReason: p.text().nullable(),
    riskIssues: jsonListColumn<RiskIssue>(),
    /** The review plan as it was at submission, so later edits do not change a review in flight. */
    plan: p.json<ReviewPlanSettings & { name: string | null }>(),
    currentStage: p.integer().default(1),
    /** 1, then +1 at each reviseQueryRequest: decisions belong to one revision (a text can come back). */
    revision: p.integer().default(1),
    rowsAffected: p.integer().nullable(),
    durationMs: p.integer().nullable(),
    /** The database's error, verbatim, when FAILED. */
    error: p.text().nullable(),
    result: p.json<ResultSnapshot>().nullable(),
    executedAt: p.datetime().nullable(),
    /** Where it ran: the primary, or the datasource's read replica (FEATURES B3). */
    executedOn: p.enum(['PRIMARY', 'REPLICA'] as const).nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  indexes: [{ properties: ['datasourceId', 'canonicalHash'] }],
  ...TENANT_TABLE,
});
export type QueryRequest = InferEntity<typeof QueryRequestEntity>;

export const DECISIONS = ['APPROVE', 'REJECT', 'REQUEST_CHANGES'] as const;
export type Decision = (typeof DECISIONS)[number];

/** A reviewer's decision on one stage of a request; one per reviewer and stage. */
export const ReviewDecisionEntity = defineEntity({
  name: 'ReviewDecision',
  tableName: 'review_decisions',
  // One decision per reviewer, stage and revision: a revision is reviewed afresh.
  uniques: [{ properties: ['requestId', 'reviewerId', 'stage', 'revision'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    requestId: p.manyToOne(QueryRequestEntity).mapToPk().fieldName('request_id').deleteRule('cascade'),
    reviewerId: p.manyToOne(UserEntity).mapToPk().fieldName('reviewer_id').index(),
    stage: p.integer(),
    decision: p.enum(DECISIONS),
    comment: p.text().nullable(),
    /** The statement hash the reviewer saw. */
    sqlHash: p.string().length(64),
    /** The request's revision it was about; only decisions on the current one count. */
    revision: p.integer().default(1),
    createdAt: createdAtColumn(),
  },
  ...TENANT_TABLE,
});
export type ReviewDecision = InferEntity<typeof ReviewDecisionEntity>;

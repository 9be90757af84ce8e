import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn, idColumn } from '../../store/columns.ts';
import { TENANT_TABLE } from '../../store/tenancy.ts';
import { organizationIdColumn } from '../orgs/organization.entity.ts';
import { RISK_LEVELS } from '../review/review-plan.entity.ts';
import { QueryRequestEntity } from '../requests/query-request.entity.ts';

/**
 * One AI review of one revision of a request: the claim that makes a single replica run it (unique per request
 * and revision, taken over only when its lease ran out) and what the model said, for cost and latency.
 */
export const AiReviewEntity = defineEntity({
  name: 'AiReview',
  tableName: 'ai_reviews',
  uniques: [{ properties: ['requestId', 'revision'] }],
  properties: {
    id: idColumn(),
    organizationId: organizationIdColumn().index(),
    requestId: p.manyToOne(QueryRequestEntity).mapToPk().fieldName('request_id').deleteRule('cascade'),
    revision: p.integer(),
    status: p.enum(['RUNNING', 'DONE'] as const).default('RUNNING'),
    attempts: p.integer().default(1),
    claimedAt: p.datetime(),
    aiConfigId: p.uuid().nullable(),
    provider: p.string().length(40).nullable(),
    model: p.string().length(200).nullable(),
    latencyMs: p.integer().nullable(),
    inputTokens: p.integer().nullable(),
    outputTokens: p.integer().nullable(),
    score: p.integer().nullable(),
    level: p.enum(RISK_LEVELS).nullable(),
    /** Why the review was unavailable (the request then went to people); null when the model answered. */
    error: p.text().nullable(),
    createdAt: createdAtColumn(),
  },
  ...TENANT_TABLE,
});
export type AiReview = InferEntity<typeof AiReviewEntity>;

/**
 * How an AI review joins the request workflow (FEATURES E2), as pure rules the requests service applies: which
 * submissions wait in PENDING_AI, the combined risk (the stronger of the rules' and the model's), and failing
 * closed — a review that could not be had sends the request to people, never to auto-approval.
 */
import type { Datasource } from '../datasources/datasource.entity.ts';
import type { QueryStatus } from '../requests/query-request.entity.ts';
import { levelForScore, type RiskAnalysis, type RiskIssue, type RiskLevel } from '../risk/rule-analyzer.ts';

/** Published when a request enters PENDING_AI, so a replica's AI review job runs at once. */
export const AI_REVIEW_TOPIC = 'requests:ai-review';

export type AiVerdict = { ok: true; score: number; level: RiskLevel; issues: RiskIssue[]; model: string } | { ok: false; reason: string; model: string };

/** Where a submission waits while its AI review runs. */
export const AWAITING_AI = { status: 'PENDING_AI', reason: 'waiting for the AI review', policy: null } as const;

/**
 * The verdict given to a member of a request group on a datasource that wants AI review: groups are created,
 * decided and settled as one, so their members are not parked one by one in PENDING_AI; they fail closed.
 */
export const GROUP_MEMBER_VERDICT: AiVerdict = { ok: false, reason: 'request group members are not reviewed by the model one by one', model: 'none' };

/** A datasource with an AI configuration and AI analysis on, under a plan that asks for AI review. */
export function needsAiReview(datasource: Pick<Datasource, 'aiConfigId' | 'aiAnalysisEnabled'>, plan: { requiresAiReview: boolean }): boolean {
  return Boolean(datasource.aiConfigId) && datasource.aiAnalysisEnabled && plan.requiresAiReview;
}

const LEVELS: readonly RiskLevel[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const stronger = (a: RiskLevel, b: RiskLevel) => (LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b);

/** The rules' analysis joined with the model's: the higher score, the stronger level, both sets of issues. */
export function withAiVerdict(rules: RiskAnalysis, verdict: AiVerdict): RiskAnalysis {
  if (!verdict.ok) {
    const unavailable: RiskIssue = {
      code: 'AI_REVIEW_UNAVAILABLE',
      severity: 'WARNING',
      message: `AI review unavailable: ${verdict.reason}`,
      suggestion: 'A reviewer must judge this statement; it is never auto-approved without its AI review.',
    };
    return { ...rules, issues: [...rules.issues, unavailable], summary: `${rules.summary} AI review unavailable (${verdict.model}): ${verdict.reason}.` };
  }
  const score = Math.max(rules.score, verdict.score);
  const level = stronger(stronger(rules.level, verdict.level), levelForScore(score));
  return {
    ...rules,
    score,
    level,
    issues: [...rules.issues, ...verdict.issues],
    summary: `${level} risk (score ${score}/100): rules ${rules.level} (${rules.score}), AI ${verdict.model} ${verdict.level} (${verdict.score})${verdict.issues.length ? `: ${verdict.issues.map((i) => i.message).join('; ')}` : ''}.`,
  };
}

/** An approval reached without the AI review becomes a human review; every other route stands. */
export function failClosed<T extends { status: QueryStatus; reason: string; policy: unknown }>(routing: T, verdict: AiVerdict): T {
  if (verdict.ok || routing.status !== 'APPROVED') return routing;
  return { ...routing, status: 'PENDING_REVIEW', reason: `AI review unavailable (${verdict.reason}): a person decides`, policy: null };
}

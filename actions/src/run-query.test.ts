/** How a request's end state becomes the CLI's exit code and message. */
import { expect, it } from 'vitest';
import type { RequestState } from './operations.ts';
import { describe } from './run-query.ts';

const state = (fields: Partial<RequestState>): RequestState => ({
  id: 'r1',
  status: 'PENDING_REVIEW',
  clientRequestId: null,
  cicdOrigin: true,
  datasourceId: 'd1',
  query: 'delete from t',
  queryType: 'DELETE',
  riskLevel: 'HIGH',
  riskScore: 70,
  rowsAffected: null,
  error: null,
  scheduledFor: null,
  decisionReason: null,
  decisions: [],
  result: null,
  ...fields,
});

it('names why a routing policy rejected a request, and prefers a reviewer’s comment', () => {
  expect(describe(state({ status: 'REJECTED', decisionReason: 'block unbounded deletes' }), true)).toEqual({ exitCode: 1, message: 'rejected: block unbounded deletes' });
  expect(describe(state({ status: 'REJECTED', decisionReason: 'DELETE needs review', decisions: [{ decision: 'REJECT', comment: 'not today', stage: 1 }] }), true))
    .toEqual({ exitCode: 1, message: 'rejected: not today' });
  expect(describe(state({ status: 'TIMED_OUT', decisionReason: 'no decision within 24 h' }), true).message).toBe('timed out waiting for review on the server (no decision within 24 h)');
});

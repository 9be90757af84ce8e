/** Which audit rows are announced, and the statement as messages show it. */
import { describe, expect, it } from 'vitest';
import { eventOf, shortStatement } from './messages.ts';

describe('eventOf', () => {
  const reviewed = async () => true;
  const notReviewed = async () => false;
  it.each([
    [{ action: 'QUERY_REVIEW_REQUIRED', metadata: {} }, 'REVIEW_REQUESTED'],
    [{ action: 'QUERY_APPROVED', metadata: { decision: { decidedBy: 'REVIEWER' } } }, 'APPROVED'],
    [{ action: 'QUERY_APPROVED', metadata: { decision: { decidedBy: 'ROUTING_POLICY' } } }, null],
    [{ action: 'QUERY_REJECTED', metadata: { decision: { decidedBy: 'ADMISSION' } } }, 'REJECTED'],
    [{ action: 'QUERY_DECISION', metadata: { decision: 'REQUEST_CHANGES' } }, 'CHANGES_REQUESTED'],
    [{ action: 'QUERY_DECISION', metadata: { decision: 'APPROVE' } }, null],
    [{ action: 'QUERY_TIMED_OUT', metadata: {} }, 'TIMED_OUT'],
    [{ action: 'QUERY_BREAK_GLASS_EXECUTED', metadata: {} }, 'BREAK_GLASS_USED'],
    [{ action: 'ACCESS_DECISION', metadata: { status: 'PENDING' } }, null],
    [{ action: 'ACCESS_DECISION', metadata: { status: 'APPROVED' } }, 'ACCESS_DECIDED'],
    [{ action: 'USER_LOGIN', metadata: {} }, null],
  ])('%j → %s', async (facts, expected) => {
    expect(await eventOf(facts, reviewed)).toBe(expected);
  });

  it('announces runs and failures only of reviewed requests', async () => {
    expect(await eventOf({ action: 'QUERY_EXECUTED', metadata: {} }, reviewed)).toBe('EXECUTED');
    expect(await eventOf({ action: 'QUERY_EXECUTED', metadata: {} }, notReviewed)).toBeNull();
    expect(await eventOf({ action: 'QUERY_FAILED', metadata: {} }, reviewed)).toBe('FAILED');
    expect(await eventOf({ action: 'QUERY_FAILED', metadata: {} }, notReviewed)).toBeNull();
  });
});

describe('shortStatement', () => {
  it('replaces string literals (quoted, doubled quotes, dollar-quoted, unterminated) and keeps one line', () => {
    expect(shortStatement("update t\n  set a = 'x''y',\n b = $$secret$$, c = $tag$more$tag$ where d = 'open")).toBe("update t set a = '?', b = '?', c = '?' where d = '?'");
  });

  it('also hides numbers, double-quoted and backslash-escaped strings and comments, but keeps names with digits', () => {
    expect(shortStatement("select * from t1 where ssn = 123456789 and card = 4111.1e3 and n = \"o'k\" and m = 'it\\'s x' -- 4111\n/* 555 */ limit 10"))
      .toBe('select * from t1 where ssn = ? and card = ? and n = "?" and m = \'?\' limit ?');
  });

  it('shortens to 200 characters', () => {
    const long = shortStatement(`select ${'column_name, '.repeat(40)}x from t`);
    expect(long).toHaveLength(200);
    expect(long.endsWith('…')).toBe(true);
  });
});

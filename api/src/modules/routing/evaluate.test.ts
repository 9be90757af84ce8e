/** The routing evaluator and condition validation, pure: every leaf, three-valued logic, clocks and zones. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors.ts';
import { MAX_CONDITION_DEPTH, parseCondition, parseTimeZone, unmatchedGlobs, type Condition } from './condition.ts';
import { evaluate, localClock, route, type EvaluatedPolicy, type RoutingFacts, type Truth } from './evaluate.ts';

const DS = '00000000-0000-4000-8000-000000000001';
const GROUP = '00000000-0000-4000-8000-0000000000a1';

const facts = (over: Partial<RoutingFacts> = {}): RoutingFacts => ({
  datasourceId: DS,
  queryType: 'SELECT',
  tables: [{ schema: 'public', name: 'orders' }],
  riskLevel: 'LOW',
  riskScore: 10,
  requesterRole: 'ANALYST',
  requesterGroupIds: [GROUP],
  hasWhere: true,
  hasLimit: false,
  transactional: false,
  cicdOrigin: false,
  planMinApprovals: 2,
  now: new Date('2026-11-23T12:00:00Z'), // a Monday
  ...over,
});

/** The outcome of one condition, written as the seed's JSON, over the facts. */
const truthOf = (condition: unknown, f: RoutingFacts = facts(), timeZone = 'UTC'): Truth => evaluate(parseCondition(condition), f, timeZone).result;

describe('leaves', () => {
  it('query_type', () => {
    expect(truthOf({ type: 'query_type', any_of: ['SELECT'] })).toBe('TRUE');
    expect(truthOf({ type: 'query_type', any_of: ['delete', 'UPDATE'] })).toBe('FALSE');
    expect(truthOf({ type: 'query_type', any_of: ['DELETE'] }, facts({ queryType: 'DELETE' }))).toBe('TRUE');
  });

  it('referenced_table: qualified globs match schema.table, bare globs the name in any schema, case-insensitively', () => {
    const payroll = facts({ tables: [{ schema: 'payroll', name: 'salaries' }, { schema: 'public', name: 'users' }] });
    expect(truthOf({ type: 'referenced_table', globs: ['payroll.*'] }, payroll)).toBe('TRUE');
    expect(truthOf({ type: 'referenced_table', globs: ['PAYROLL.SAL*'] }, payroll)).toBe('TRUE');
    expect(truthOf({ type: 'referenced_table', globs: ['salaries'] }, payroll)).toBe('TRUE');
    expect(truthOf({ type: 'referenced_table', globs: ['*.user?'] }, payroll)).toBe('TRUE');
    expect(truthOf({ type: 'referenced_table', globs: ['hr.*', 'payroll.bonus*'] }, payroll)).toBe('FALSE');
    expect(truthOf({ type: 'referenced_table', globs: ['payroll'] }, payroll)).toBe('FALSE');
    expect(truthOf({ type: 'referenced_table', globs: ['[sp]ayroll.salaries'] }, payroll)).toBe('TRUE');
    expect(truthOf({ type: 'referenced_table', globs: ['*'] }, facts({ tables: [] }))).toBe('FALSE');
  });

  it('risk_level and risk_score with every operator', () => {
    expect(truthOf({ type: 'risk_level', any_of: ['low', 'MEDIUM'] })).toBe('TRUE');
    expect(truthOf({ type: 'risk_level', any_of: ['HIGH'] })).toBe('FALSE');
    const score = (operator: string, value: number) => truthOf({ type: 'risk_score', operator, value }, facts({ riskScore: 40 }));
    expect([score('LT', 41), score('LT', 40), score('LTE', 40), score('LTE', 39)]).toEqual(['TRUE', 'FALSE', 'TRUE', 'FALSE']);
    expect([score('GT', 39), score('GT', 40), score('GTE', 40), score('GTE', 41)]).toEqual(['TRUE', 'FALSE', 'TRUE', 'FALSE']);
    expect([score('EQ', 40), score('EQ', 41)]).toEqual(['TRUE', 'FALSE']);
  });

  it('requester_role and requester_group', () => {
    expect(truthOf({ type: 'requester_role', any_of: ['analyst'] })).toBe('TRUE');
    expect(truthOf({ type: 'requester_role', any_of: ['ADMIN', 'REVIEWER'] })).toBe('FALSE');
    expect(truthOf({ type: 'requester_group', group_ids: [GROUP] })).toBe('TRUE');
    expect(truthOf({ type: 'requester_group', group_ids: [GROUP] }, facts({ requesterGroupIds: [] }))).toBe('FALSE');
  });

  it('has_where, has_limit, transactional, cicd_origin compare with expected', () => {
    expect(truthOf({ type: 'has_where', expected: true })).toBe('TRUE');
    expect(truthOf({ type: 'has_where', expected: false })).toBe('FALSE');
    expect(truthOf({ type: 'has_limit', expected: false })).toBe('TRUE');
    expect(truthOf({ type: 'transactional', expected: true }, facts({ transactional: true }))).toBe('TRUE');
    expect(truthOf({ type: 'cicd_origin', expected: true })).toBe('FALSE');
    expect(truthOf({ type: 'cicd_origin', expected: true }, facts({ cicdOrigin: true }))).toBe('TRUE');
  });
});

describe('time of day and day of week', () => {
  const window = (start: number, end: number) => ({ type: 'time_of_day', start_minute_of_day: start, end_minute_of_day: end });
  const at = (iso: string) => facts({ now: new Date(iso) });

  it('a daytime window includes its start and excludes its end', () => {
    expect(truthOf(window(540, 1020), at('2026-11-23T09:00:00Z'))).toBe('TRUE');
    expect(truthOf(window(540, 1020), at('2026-11-23T16:59:00Z'))).toBe('TRUE');
    expect(truthOf(window(540, 1020), at('2026-11-23T17:00:00Z'))).toBe('FALSE');
    expect(truthOf(window(540, 1020), at('2026-11-23T08:59:00Z'))).toBe('FALSE');
    expect(truthOf(window(0, 1440), at('2026-11-23T23:59:00Z'))).toBe('TRUE');
  });

  it('a window whose start is after its end wraps midnight', () => {
    const night = window(18 * 60, 8 * 60);
    expect(truthOf(night, at('2026-11-23T18:00:00Z'))).toBe('TRUE');
    expect(truthOf(night, at('2026-11-23T23:59:00Z'))).toBe('TRUE');
    expect(truthOf(night, at('2026-11-24T00:00:00Z'))).toBe('TRUE');
    expect(truthOf(night, at('2026-11-24T07:59:00Z'))).toBe('TRUE');
    expect(truthOf(night, at('2026-11-24T08:00:00Z'))).toBe('FALSE');
    expect(truthOf(night, at('2026-11-23T12:00:00Z'))).toBe('FALSE');
  });

  it("reads the clock in the policy's time zone, day of week included", () => {
    // 2026-11-23T23:30Z is Monday 23:30 in UTC, Tuesday 08:30 in Tokyo and Monday 18:30 in New York.
    const f = at('2026-11-23T23:30:00Z');
    const business = window(9 * 60, 17 * 60);
    expect(truthOf(business, f, 'UTC')).toBe('FALSE');
    expect(truthOf(business, f, 'Asia/Tokyo')).toBe('FALSE');
    expect(truthOf(window(8 * 60, 9 * 60), f, 'Asia/Tokyo')).toBe('TRUE');
    expect(truthOf({ type: 'day_of_week', any_of: ['MONDAY'] }, f, 'UTC')).toBe('TRUE');
    expect(truthOf({ type: 'day_of_week', any_of: ['monday'] }, f, 'Asia/Tokyo')).toBe('FALSE');
    expect(truthOf({ type: 'day_of_week', any_of: ['TUESDAY'] }, f, 'Asia/Tokyo')).toBe('TRUE');
    expect(localClock(f.now, 'America/New_York')).toEqual({ minute: 18 * 60 + 30, day: 'MONDAY' });
    // Kathmandu is UTC+05:45: minutes, not just hours, follow the zone.
    expect(localClock(new Date('2026-11-23T00:00:00Z'), 'Asia/Kathmandu')).toEqual({ minute: 5 * 60 + 45, day: 'MONDAY' });
  });

  it('follows daylight saving time: the skipped hour never occurs, the repeated hour occurs twice', () => {
    const zone = 'America/New_York';
    // 2026-03-08: clocks jump from 02:00 EST to 03:00 EDT.
    expect(localClock(new Date('2026-03-08T06:59:00Z'), zone).minute).toBe(1 * 60 + 59);
    expect(localClock(new Date('2026-03-08T07:00:00Z'), zone).minute).toBe(3 * 60);
    const twoAm = window(2 * 60, 3 * 60);
    for (let m = 0; m < 24 * 60; m += 15) {
      const now = new Date(Date.UTC(2026, 2, 8, 0, 0) + m * 60_000 + 5 * 3_600_000);
      expect(truthOf(twoAm, facts({ now }), zone)).toBe('FALSE');
    }
    // 2026-11-01: 01:00–02:00 happens twice (EDT, then EST); a window over it matches both.
    const oneAm = window(60, 120);
    expect(truthOf(oneAm, at('2026-11-01T05:30:00Z'), zone)).toBe('TRUE');
    expect(truthOf(oneAm, at('2026-11-01T06:30:00Z'), zone)).toBe('TRUE');
    expect(truthOf(oneAm, at('2026-11-01T07:30:00Z'), zone)).toBe('FALSE');
    // A 09:00–17:00 window is nine-to-five local time on both sides of the change, not a fixed UTC span.
    const business = window(9 * 60, 17 * 60);
    expect(truthOf(business, at('2026-03-06T13:30:00Z'), zone)).toBe('FALSE'); // 08:30 EST
    expect(truthOf(business, at('2026-03-09T13:30:00Z'), zone)).toBe('TRUE'); // 09:30 EDT
  });
});

describe('three-valued logic: a missing fact is UNKNOWN, never a match', () => {
  const noRisk = facts({ riskLevel: null, riskScore: null });
  const high = { type: 'risk_level', any_of: ['HIGH', 'CRITICAL'] };

  it('every leaf over a missing fact is UNKNOWN', () => {
    const cases: [unknown, Partial<RoutingFacts>][] = [
      [{ type: 'query_type', any_of: ['SELECT'] }, { queryType: null }],
      [{ type: 'referenced_table', globs: ['*'] }, { tables: null }],
      [high, { riskLevel: null }],
      [{ type: 'risk_score', operator: 'LT', value: 50 }, { riskScore: null }],
      [{ type: 'requester_role', any_of: ['ANALYST'] }, { requesterRole: null }],
      [{ type: 'requester_group', group_ids: [GROUP] }, { requesterGroupIds: null }],
      [{ type: 'has_where', expected: true }, { hasWhere: null }],
      [{ type: 'has_limit', expected: true }, { hasLimit: null }],
      [{ type: 'transactional', expected: false }, { transactional: null }],
      [{ type: 'cicd_origin', expected: false }, { cicdOrigin: null }],
    ];
    for (const [condition, missing] of cases) expect(truthOf(condition, facts(missing)), JSON.stringify(condition)).toBe('UNKNOWN');
  });

  it('not of unknown stays unknown; and/or follow Kleene logic', () => {
    expect(truthOf({ type: 'not', child: high }, noRisk)).toBe('UNKNOWN');
    const select = { type: 'query_type', any_of: ['SELECT'] };
    const del = { type: 'query_type', any_of: ['DELETE'] };
    expect(truthOf({ type: 'and', children: [select, high] }, noRisk)).toBe('UNKNOWN');
    expect(truthOf({ type: 'and', children: [del, high] }, noRisk)).toBe('FALSE');
    expect(truthOf({ type: 'or', children: [select, high] }, noRisk)).toBe('TRUE');
    expect(truthOf({ type: 'or', children: [del, high] }, noRisk)).toBe('UNKNOWN');
    expect(truthOf({ type: 'not', child: { type: 'and', children: [select, del] } })).toBe('TRUE');
  });
});

describe('route: first enabled match by priority, and what an UNKNOWN does per action', () => {
  const policy = (over: Partial<EvaluatedPolicy> & Pick<EvaluatedPolicy, 'priority' | 'action'>): EvaluatedPolicy => ({
    id: `p${over.priority}`,
    name: `policy ${over.priority}`,
    enabled: true,
    datasourceId: null,
    condition: parseCondition({ type: 'query_type', any_of: ['SELECT'] }),
    timeZone: 'UTC',
    requiredApprovals: null,
    reason: null,
    ...over,
  });
  const unknownRisk: Condition = parseCondition({ type: 'risk_level', any_of: ['LOW'] });
  const noRisk = facts({ riskLevel: null, riskScore: null });

  it('takes the lowest priority that matches, skipping disabled and other datasources, whatever the input order', () => {
    const outcome = route(
      [
        policy({ priority: 30, action: 'AUTO_APPROVE' }),
        policy({ priority: 5, action: 'AUTO_REJECT', enabled: false }),
        policy({ priority: 10, action: 'AUTO_REJECT', datasourceId: '00000000-0000-4000-8000-000000000002' }),
        policy({ priority: 20, action: 'ESCALATE', requiredApprovals: 2, condition: parseCondition({ type: 'query_type', any_of: ['DELETE'] }) }),
      ],
      facts(),
    );
    expect(outcome.evaluations.map((e) => [e.priority, e.result])).toEqual([[20, 'FALSE'], [30, 'TRUE']]);
    expect(outcome.decision).toMatchObject({ policyId: 'p30', action: 'AUTO_APPROVE', verdict: 'APPROVE', requiredApprovals: null, conditionResult: 'TRUE' });
  });

  it('returns null when nothing matches (the review plan decides)', () => {
    expect(route([policy({ priority: 1, action: 'AUTO_APPROVE', condition: parseCondition({ type: 'has_limit', expected: true }) })], facts()).decision).toBeNull();
    expect(route([], facts()).decision).toBeNull();
  });

  it('computes approvals: REQUIRE_APPROVALS is absolute, ESCALATE adds to the plan minimum (1 by default)', () => {
    expect(route([policy({ priority: 1, action: 'REQUIRE_APPROVALS', requiredApprovals: 1 })], facts()).decision).toMatchObject({ verdict: 'REVIEW', requiredApprovals: 1 });
    expect(route([policy({ priority: 1, action: 'ESCALATE', requiredApprovals: 3 })], facts()).decision).toMatchObject({ verdict: 'REVIEW', requiredApprovals: 5 });
    expect(route([policy({ priority: 1, action: 'ESCALATE' })], facts()).decision).toMatchObject({ verdict: 'REVIEW', requiredApprovals: 3 });
    expect(route([policy({ priority: 1, action: 'AUTO_REJECT', reason: 'no' })], facts()).decision).toMatchObject({ verdict: 'REJECT', reason: 'routing policy "policy 1" (AUTO_REJECT): no' });
  });

  it('an unknown AUTO_APPROVE does not match and evaluation goes on', () => {
    const outcome = route([policy({ priority: 1, action: 'AUTO_APPROVE', condition: unknownRisk }), policy({ priority: 2, action: 'ESCALATE' })], noRisk);
    expect(outcome.decision).toMatchObject({ policyId: 'p2', conditionResult: 'TRUE' });
  });

  it('an unknown AUTO_REJECT stops evaluation and holds for review at the plan minimum, so a later approve cannot apply', () => {
    const outcome = route([policy({ priority: 1, action: 'AUTO_REJECT', condition: unknownRisk }), policy({ priority: 2, action: 'AUTO_APPROVE' })], noRisk);
    expect(outcome.decision).toMatchObject({ policyId: 'p1', action: 'AUTO_REJECT', verdict: 'REVIEW', requiredApprovals: 2, conditionResult: 'UNKNOWN' });
    expect(outcome.evaluations).toHaveLength(1);
  });

  it('an unknown ESCALATE applies; an unknown REQUIRE_APPROVALS applies but never below the plan minimum', () => {
    expect(route([policy({ priority: 1, action: 'ESCALATE', condition: unknownRisk })], noRisk).decision).toMatchObject({ verdict: 'REVIEW', requiredApprovals: 3, conditionResult: 'UNKNOWN' });
    expect(route([policy({ priority: 1, action: 'REQUIRE_APPROVALS', requiredApprovals: 1, condition: unknownRisk })], noRisk).decision).toMatchObject({ requiredApprovals: 2 });
    expect(route([policy({ priority: 1, action: 'REQUIRE_APPROVALS', requiredApprovals: 4, condition: unknownRisk })], noRisk).decision).toMatchObject({ requiredApprovals: 4 });
  });

  it('keeps every node of the trace with its outcome', () => {
    const condition = parseCondition({ type: 'and', children: [{ type: 'query_type', any_of: ['SELECT'] }, { type: 'not', child: { type: 'has_where', expected: true } }] });
    const trace = evaluate(condition, facts(), 'UTC');
    expect(trace).toMatchObject({ type: 'and', result: 'FALSE', children: [{ result: 'TRUE', detail: 'query type SELECT in [SELECT]' }, { type: 'not', result: 'FALSE', children: [{ result: 'TRUE' }] }] });
  });
});

describe('condition validation', () => {
  const refused = (condition: unknown) => {
    try {
      parseCondition(condition);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).message;
    }
    throw new Error(`accepted ${JSON.stringify(condition)}`);
  };

  it('accepts every leaf of the seed shape and normalises case', () => {
    const tree = {
      type: 'or',
      children: [
        { type: 'and', children: [{ type: 'query_type', any_of: ['select'] }, { type: 'referenced_table', globs: ['Payroll.*'] }] },
        { type: 'not', child: { type: 'risk_level', any_of: ['high'] } },
        { type: 'risk_score', operator: 'gte', value: 70 },
        { type: 'requester_role', any_of: ['reviewer'] },
        { type: 'requester_group', group_ids: [GROUP] },
        { type: 'time_of_day', start_minute_of_day: 1080, end_minute_of_day: 480 },
        { type: 'day_of_week', any_of: ['saturday', 'SUNDAY'] },
        { type: 'has_where', expected: false },
        { type: 'has_limit', expected: true },
        { type: 'transactional', expected: true },
        { type: 'cicd_origin', expected: true },
      ],
    };
    const parsed = parseCondition(tree) as { children: Condition[] };
    expect(parsed.children[0]).toEqual({ type: 'and', children: [{ type: 'query_type', any_of: ['SELECT'] }, { type: 'referenced_table', globs: ['payroll.*'] }] });
    expect(parsed.children[2]).toEqual({ type: 'risk_score', operator: 'GTE', value: 70 });
  });

  it(`refuses a tree deeper than ${MAX_CONDITION_DEPTH} levels, and a hostile very deep one without exhausting the stack`, () => {
    let tree: unknown = { type: 'has_where', expected: true };
    for (let i = 1; i < MAX_CONDITION_DEPTH; i++) tree = { type: 'not', child: tree };
    expect(() => parseCondition(tree)).not.toThrow();
    expect(refused({ type: 'not', child: tree })).toContain(`deeper than ${MAX_CONDITION_DEPTH}`);
    let hostile: unknown = { type: 'has_where', expected: true };
    for (let i = 0; i < 100_000; i++) hostile = { type: 'not', child: hostile };
    expect(refused(hostile)).toContain('deeper');
  });

  it('refuses globs that cannot match a table reference', () => {
    for (const glob of ['', 'a.b.c', 'pay roll.*', 'payroll.', '.x', 'x[', 'a/b', '{a,b}', '**.x;drop']) {
      expect(refused({ type: 'referenced_table', globs: [glob] }), glob).toContain('globs.0');
    }
  });

  it('refuses unknown keys, unknown and unsupported leaf types, empty lists, bad windows, bad values', () => {
    expect(refused({ type: 'query_type', anyOf: ['SELECT'] })).toMatch(/anyOf|any_of/);
    expect(refused({ type: 'source_ip', cidrs: ['10.0.0.0/8'] })).toContain('not supported');
    expect(refused({ type: 'weather', sunny: true })).toContain('unknown condition type "weather"');
    expect(refused({ type: 'and', children: [{ type: 'scan_type', patterns: [] }] })).toContain('not supported');
    expect(refused({ type: 'and', children: [] })).toContain('at least one child');
    expect(refused({ type: 'query_type', any_of: [] })).toContain('at least one');
    expect(refused({ type: 'query_type', any_of: ['TRUNCATE'] })).toContain('any_of.0');
    expect(refused({ type: 'risk_score', operator: 'NE', value: 3 })).toContain('operator');
    expect(refused({ type: 'risk_score', operator: 'LT', value: 101 })).toContain('value');
    expect(refused({ type: 'time_of_day', start_minute_of_day: 600, end_minute_of_day: 600 })).toContain('equal');
    expect(refused({ type: 'time_of_day', start_minute_of_day: 1440, end_minute_of_day: 60 })).toContain('start_minute_of_day');
    expect(refused({ type: 'requester_role', any_of: ['OWNER'] })).toContain('any_of.0');
    expect(refused({ type: 'requester_group', group_ids: ['not-a-uuid'] })).toContain('group_ids.0');
    expect(refused({ type: 'has_where', expected: 'yes' })).toContain('expected');
    expect(refused({})).toContain('condition');
    expect(refused('{"type":"has_where","expected":true}')).toContain('condition');
  });

  it('names the globs of a tree that match none of the given tables (the unmatchedGlobs warning)', () => {
    const tree = parseCondition({ type: 'and', children: [{ type: 'referenced_table', globs: ['payroll.*', 'payrol.*'] }, { type: 'not', child: { type: 'referenced_table', globs: ['payroll.*', 'Orders'] } }] });
    expect(unmatchedGlobs(tree, [{ schema: 'payroll', name: 'salaries' }])).toEqual(['payrol.*', 'orders']);
    expect(unmatchedGlobs(tree, [{ schema: 'payroll', name: 'x' }, { schema: 'payrol', name: 'y' }, { schema: 'public', name: 'orders' }])).toEqual([]);
    expect(unmatchedGlobs(parseCondition({ type: 'has_where', expected: true }), [])).toEqual([]);
  });

  it('accepts IANA time zones in canonical spelling and refuses others', () => {
    expect(parseTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(parseTimeZone('utc')).toBe('UTC');
    for (const zone of ['Mars/Olympus', '+02:00', 'GMT+2 ', '', 'Europe/Berlin; drop']) expect(() => parseTimeZone(zone), zone).toThrow(ValidationError);
  });
});

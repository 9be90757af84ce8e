import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { applyMasking, normalizeColumnRef, planMasking, type MaskRule, type ResultColumnSource } from './masker.ts';

const KEY = Buffer.from('an-hmac-key-of-reasonable-length', 'utf8');

const col = (name: string, table: string | null = null, schema: string | null = null): ResultColumnSource => ({
  name,
  table: table === null ? null : { schema, name: table },
});
const policy = (policyId: string, columnRef: string, strategy: MaskRule['strategy'] = 'FULL', params: Record<string, string> = {}): MaskRule => ({
  policyId,
  columnRef,
  strategy,
  params,
});
const restricted = (columnRef: string): MaskRule => ({ policyId: null, columnRef, strategy: 'FULL', params: {} });

describe('normalizeColumnRef', () => {
  it('lower-cases and drops identifier quotes', () => {
    expect(normalizeColumnRef(' "Public"."Users"."SSN" ')).toBe('public.users.ssn');
    expect(normalizeColumnRef('`Users` . `Email`')).toBe('users.email');
  });
});

describe('planMasking', () => {
  it('returns null for columns no rule covers', () => {
    expect(planMasking([col('id', 'users', 'public'), col('x')], [policy('p1', 'users.email')])).toEqual([null, null]);
    expect(planMasking([], [policy('p1', 'email')])).toEqual([]);
  });

  it('prefers schema.table.column, then table.column, then column', () => {
    const bare = policy('bare', 'email');
    const table = policy('table', 'users.email');
    const full = policy('full', 'public.users.email');
    const column = col('email', 'users', 'public');
    expect(planMasking([column], [bare, table, full])[0]).toBe(full);
    expect(planMasking([column], [bare, table])[0]).toBe(table);
    expect(planMasking([column], [table, bare])[0]).toBe(table);
    expect(planMasking([column], [bare])[0]).toBe(bare);
  });

  it('takes the first rule in input order among equally specific ones', () => {
    const first = policy('first', 'users.email');
    const second = policy('second', 'USERS.EMAIL', 'HASH');
    expect(planMasking([col('email', 'users')], [first, second])[0]).toBe(first);
  });

  it('does not match another schema or table', () => {
    const rules = [policy('p1', 'billing.users.email'), policy('p2', 'customers.email')];
    expect(planMasking([col('email', 'users', 'public')], rules)).toEqual([null]);
  });

  it('matches schema-qualified rules only when the schema is known', () => {
    const full = policy('full', 'public.users.email');
    const table = policy('table', 'users.email');
    expect(planMasking([col('email', 'users', null)], [full])).toEqual([null]);
    expect(planMasking([col('email', 'users', null)], [full, table])[0]).toBe(table);
  });

  it('matches only bare column rules when the source table is unknown', () => {
    const table = policy('table', 'users.email');
    const bare = policy('bare', 'email');
    expect(planMasking([col('email')], [table])).toEqual([null]);
    expect(planMasking([col('email')], [table, bare])[0]).toBe(bare);
  });

  it('compares refs and names case-insensitively', () => {
    const rule = policy('p1', 'Public.Users.EMAIL');
    expect(planMasking([col('Email', 'USERS', 'PUBLIC')], [rule])[0]).toBe(rule);
    expect(planMasking([col('EMAIL')], [policy('p2', 'email')])[0]?.policyId).toBe('p2');
  });

  it('lets a restricted column (the grant) beat any policy, even a more specific one', () => {
    const full = policy('full', 'public.users.ssn', 'PARTIAL');
    const bareRestriction = restricted('ssn');
    const tableRestriction = restricted('users.ssn');
    const column = col('ssn', 'users', 'public');
    expect(planMasking([column], [full, bareRestriction])[0]).toBe(bareRestriction);
    expect(planMasking([column], [full, tableRestriction, bareRestriction])[0]).toBe(tableRestriction);
    expect(planMasking([column], [policy('bare', 'ssn', 'HASH'), tableRestriction])[0]).toBe(tableRestriction);
  });

  it('plans each result column independently, including duplicate names from different tables', () => {
    const usersEmail = policy('u', 'users.email', 'EMAIL');
    const plan = planMasking([col('id', 'users'), col('email', 'users'), col('email', 'contacts'), col('total')], [usersEmail, policy('t', 'total', 'HASH')]);
    expect(plan.map((rule) => rule?.policyId ?? null)).toEqual([null, 'u', null, 't']);
  });
});

describe('applyMasking', () => {
  const columns = [col('id', 'users', 'public'), col('email', 'users', 'public'), col('ssn', 'users', 'public'), col('card', 'payments'), col('note')];
  const rules = [
    policy('p-email', 'users.email', 'EMAIL'),
    policy('p-ssn', 'public.users.ssn', 'PARTIAL', { visible_suffix: '4' }),
    policy('p-card', 'payments.card', 'FORMAT_PRESERVING'),
    restricted('note'),
    policy('p-note', 'note', 'HASH'),
    policy('p-unused', 'orders.total', 'FULL'),
  ];
  const rows: unknown[][] = [
    [1, 'alice@example.com', '123-45-6789', '4111 1111', 'private'],
    [2, null, undefined, 4111, { a: 1 }],
    [3, 'bob@example.org', '987654321', 'AB-12', null],
  ];

  it('masks each planned column with its strategy and leaves the others alone', () => {
    const plan = planMasking(columns, rules);
    const { rows: masked } = applyMasking(rows, plan, KEY);
    expect(masked).toEqual([
      [1, 'a***@example.com', '*******6789', '**** ****', '***'],
      [2, null, null, '****', '***'],
      [3, 'b***@example.org', '*****4321', 'xx-**', null],
    ]);
  });

  it('never mutates the input rows', () => {
    const input = structuredClone(rows);
    const plan = planMasking(columns, rules);
    const result = applyMasking(input, plan, KEY);
    expect(input).toEqual(rows);
    expect(result.rows).not.toBe(input);
    result.rows.forEach((row, i) => expect(row).not.toBe(input[i]));
  });

  it('returns new row arrays even when nothing is masked', () => {
    const input = [[1, 'a']];
    const result = applyMasking(input, [null, null], KEY);
    expect(result).toEqual({ rows: [[1, 'a']], appliedPolicyIds: [] });
    expect(result.rows[0]).not.toBe(input[0]);
  });

  it('reports the distinct policies that masked a column, not restricted columns or unused policies', () => {
    const plan = planMasking([...columns, col('email', 'users')], rules);
    expect(applyMasking(rows.map((row) => [...row, 'x@y.z']), plan, KEY).appliedPolicyIds).toEqual(['p-email', 'p-ssn', 'p-card']);
  });

  it('reports planned policies even for an empty result', () => {
    const plan = planMasking(columns, rules);
    expect(applyMasking([], plan, KEY)).toEqual({ rows: [], appliedPolicyIds: ['p-email', 'p-ssn', 'p-card'] });
  });

  it('hashes with the key, stably across rows so joins on masked values still match', () => {
    const plan = planMasking([col('customer_id', 'orders'), col('customer_id', 'invoices')], [policy('h', 'customer_id', 'HASH')]);
    const { rows: masked } = applyMasking(
      [
        ['c-1', 'c-1'],
        ['c-2', 'c-1'],
      ],
      plan,
      KEY,
    );
    const expected = createHmac('sha256', KEY).update('c-1').digest('hex');
    expect(masked[0]).toEqual([expected, expected]);
    expect(masked[1]?.[1]).toBe(expected);
    expect(masked[1]?.[0]).not.toBe(expected);
  });

  it('refuses rows whose width differs from the plan rather than leave a column unmasked', () => {
    const plan = planMasking([col('a'), col('ssn')], [policy('p', 'ssn')]);
    expect(() => applyMasking([['x', 'secret', 'extra']], plan, KEY)).toThrow(RangeError);
    expect(() => applyMasking([['x']], plan, KEY)).toThrow(RangeError);
  });
});

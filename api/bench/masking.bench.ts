/**
 * P3, masking a result: 10,000 rows × 10 columns, `planMasking` once for the result's columns and then
 * `applyMasking` over every row, with a realistic mix — FULL (a restricted column), PARTIAL, EMAIL, HASH over a
 * low-cardinality column (a status), FORMAT_PRESERVING, and 5 unmasked columns (int, number, boolean, text,
 * timestamp text), plus rules for other tables that must not match. Baseline, in the same run: `JSON.stringify`
 * of the same rows — the cost of merely serializing the result once, which every response pays anyway.
 * One sample masks (or serializes) the whole result; the two alternate in blocks. Goal: ≤ 2×.
 */
import { randomBytes } from 'node:crypto';
import { applyMasking, planMasking, type MaskRule, type ResultColumnSource } from '../src/modules/masking/masker.ts';
import { compare, formatNumber, note, repeat, summarise, type Benchmark, type BenchResult } from './runner.ts';

const ROWS = 10_000;
const WARMUP = 20;
const RUNS_PER_BLOCK = 20;
const BLOCKS = 5;
const RATIO_GOAL = 2;
const BASELINE_LABEL = 'JSON.stringify of the same rows';

const table = { schema: 'public', name: 'customers' };
const COLUMNS: ResultColumnSource[] = [
  { name: 'id', table },
  { name: 'full_name', table },
  { name: 'phone', table },
  { name: 'email', table },
  { name: 'status', table },
  { name: 'card_number', table },
  { name: 'balance', table },
  { name: 'active', table },
  { name: 'country', table },
  { name: 'created_at', table },
];

/** As the service builds them: the grant's restricted columns first (policyId null), then the policies. */
const RULES: MaskRule[] = [
  { policyId: null, columnRef: 'customers.full_name', strategy: 'FULL', params: {} },
  { policyId: 'p-phone', columnRef: 'public.customers.phone', strategy: 'PARTIAL', params: { visible_suffix: '4' } },
  { policyId: 'p-email', columnRef: 'customers.email', strategy: 'EMAIL', params: {} },
  { policyId: 'p-status', columnRef: 'public.customers.status', strategy: 'HASH', params: { salt: 'bench' } },
  { policyId: 'p-card', columnRef: 'card_number', strategy: 'FORMAT_PRESERVING', params: {} },
  // Rules of other tables and columns: planned against, never applied.
  { policyId: 'p-orders', columnRef: 'public.orders.email', strategy: 'FULL', params: {} },
  { policyId: 'p-ssn', columnRef: 'people.ssn', strategy: 'HASH', params: {} },
  { policyId: 'p-other', columnRef: 'billing.customers.balance', strategy: 'FULL', params: {} },
];

const STATUSES = ['active', 'suspended', 'closed', 'pending', 'trial'];
const COUNTRIES = ['DE', 'FR', 'US', 'JP', 'BR', 'IN', 'NG', 'GB'];

function makeRows(): unknown[][] {
  const start = Date.UTC(2024, 0, 1);
  return Array.from({ length: ROWS }, (_, i) => [
    i + 1,
    `Customer Number ${i + 1}`,
    `+49 30 ${String(1_000_000 + ((i * 7919) % 9_000_000))}`,
    `person.${i + 1}@example.com`,
    STATUSES[i % STATUSES.length]!,
    `4111-${String(1000 + (i % 9000))}-${String(2000 + ((i * 31) % 8000))}-${String(1000 + ((i * 17) % 9000))}`,
    Math.round(((i * 37) % 100_000) * 100) / 100 + 0.5,
    i % 3 !== 0,
    COUNTRIES[i % COUNTRIES.length]!,
    new Date(start + i * 60_000).toISOString(),
  ]);
}

export const masking: Benchmark = {
  name: 'masking',
  async run() {
    const rows = makeRows();
    const hashKey = randomBytes(32);
    let sink = 0;
    const ours = () => {
      const plan = planMasking(COLUMNS, RULES);
      const masked = applyMasking(rows, plan, hashKey);
      sink += masked.rows.length + masked.appliedPolicyIds.length;
    };
    const baseline = () => {
      sink += JSON.stringify(rows).length;
    };
    checkPlan(rows, hashKey);
    note(`masking: ${ROWS} rows × ${COLUMNS.length} columns (5 masked: FULL, PARTIAL, EMAIL, HASH, FORMAT_PRESERVING); ${WARMUP} warm-up runs each, then ${BLOCKS} alternating blocks of ${RUNS_PER_BLOCK}`);
    await repeat(ours, WARMUP);
    await repeat(baseline, WARMUP);
    const oursRuns: number[] = [];
    const baseRuns: number[] = [];
    for (let block = 0; block < BLOCKS; block++) {
      for (const [fn, into] of [[ours, oursRuns], [baseline, baseRuns]] as const) {
        for (let i = 0; i < RUNS_PER_BLOCK; i++) {
          const start = process.hrtime.bigint();
          fn();
          into.push(Number(process.hrtime.bigint() - start) / 1_000);
        }
      }
    }
    if (sink === 0) throw new Error('masking: nothing was computed');
    const o = summarise(oursRuns);
    const b = summarise(baseRuns);
    const ratio = o.p50 / b.p50;
    note(`masking: ours p50 ${formatNumber(o.p50 / 1_000)} ms, JSON.stringify p50 ${formatNumber(b.p50 / 1_000)} ms; ${ratio.toFixed(2)}× (goal ≤ ${RATIO_GOAL}: ${ratio <= RATIO_GOAL ? 'MET' : 'NOT met'})`);
    const notes = `planMasking once + applyMasking over ${ROWS} rows × ${COLUMNS.length} columns, 5 masked; median of ${o.samples} runs`;
    const common = { samples: o.samples, notes, baselineLabel: BASELINE_LABEL };
    return [
      compare({ ...common, name: 'masking.p3.10k-rows', unit: 'ms', ours: o.p50 / 1_000, baseline: b.p50 / 1_000 }),
      compare({ ...common, name: 'masking.p3.per-row', unit: 'µs/row', ours: o.p50 / ROWS, baseline: b.p50 / ROWS }),
    ] satisfies BenchResult[];
  },
};

/** Fails loudly if the plan does not mask exactly the five intended columns (a benchmark of the wrong thing). */
function checkPlan(rows: unknown[][], hashKey: Buffer): void {
  const plan = planMasking(COLUMNS, RULES);
  const strategies = plan.map((rule) => rule?.strategy ?? '-').join(',');
  const expected = '-,FULL,PARTIAL,EMAIL,HASH,FORMAT_PRESERVING,-,-,-,-';
  if (strategies !== expected) throw new Error(`masking: unexpected plan ${strategies}, expected ${expected}`);
  const [first] = applyMasking(rows.slice(0, 1), plan, hashKey).rows;
  note(`masking: first row masked: ${JSON.stringify(first)}`);
}

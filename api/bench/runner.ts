/**
 * A tiny benchmark framework. Every benchmark measures our code and a baseline in the same process run, and the
 * runner prints one line per result, `name: ours X unit, baseline Y unit (label), ratio Z`, then writes all
 * results as JSON to bench/results/<timestamp>.json. Benchmarks never run in the test suite: performance is
 * measured here, never asserted in tests.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

export interface BenchResult {
  name: string;
  unit: string;
  ours: number;
  baseline: number;
  /** ours / baseline, rounded to 2 decimals. */
  ratio: number;
  baselineLabel: string;
  /** How many measurements `ours` summarises. */
  samples: number;
  notes?: string;
}

export interface Benchmark {
  /** What `npm run bench -- <filter>` matches against. */
  name: string;
  run(): Promise<BenchResult[]>;
}

/** Durations in microseconds. */
export interface Timing {
  p50: number;
  p99: number;
  mean: number;
  samples: number;
}

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

/** Runs `benches` one after the other, printing each result as it comes; returns the path of the JSON file. */
export async function runBenchmarks(benches: readonly Benchmark[]): Promise<string> {
  const startedAt = new Date();
  const results: BenchResult[] = [];
  for (const bench of benches) {
    for (const result of await bench.run()) {
      console.log(formatResult(result));
      results.push(result);
    }
  }
  return writeResults(startedAt, results);
}

/** A result from its two measurements; the ratio is computed here so every benchmark computes it the same way. */
export function compare(fields: Omit<BenchResult, 'ratio'>): BenchResult {
  return { ...fields, ratio: round(fields.ours / fields.baseline, 2) };
}

export function formatResult(r: BenchResult): string {
  return `${r.name}: ours ${formatNumber(r.ours)} ${r.unit}, baseline ${formatNumber(r.baseline)} ${r.unit} (${r.baselineLabel}), ratio ${r.ratio.toFixed(2)}`;
}

/**
 * Times `iterations` calls of `fn` (awaited when it returns a promise) after `warmup` untimed calls, each call on
 * its own with process.hrtime.bigint(). `fn` receives the call's index, counting warm-up calls.
 */
export async function timeIt(
  fn: (index: number) => unknown,
  { warmup, iterations }: { warmup: number; iterations: number },
): Promise<Timing> {
  await repeat(fn, warmup);
  const durations: number[] = [];
  for (let i = warmup; i < warmup + iterations; i++) {
    const start = process.hrtime.bigint();
    const value = fn(i);
    // Only promises are awaited, so sub-microsecond synchronous work is not charged a microtask turn.
    if (value instanceof Promise) await value;
    durations.push(Number(process.hrtime.bigint() - start) / 1_000);
  }
  return summarise(durations);
}

export function summarise(durations: readonly number[]): Timing {
  return {
    p50: percentile(durations, 50),
    p99: percentile(durations, 99),
    mean: durations.reduce((sum, d) => sum + d, 0) / durations.length,
    samples: durations.length,
  };
}

/** Nearest-rank percentile (0 < p ≤ 100) of `values`, which need not be sorted. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Progress and context go to stderr, so stdout holds only result lines. */
export function note(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

export function formatNumber(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toFixed(digits);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Calls `fn` `times` times, untimed, awaiting each call that returns a promise. */
export async function repeat(fn: (index: number) => unknown, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const value = fn(i);
    if (value instanceof Promise) await value;
  }
}

async function writeResults(startedAt: Date, results: BenchResult[]): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  // ISO 8601 with ':' replaced by '-', so the name is valid on every file system.
  const path = `${RESULTS_DIR}${startedAt.toISOString().replaceAll(':', '-')}.json`;
  const machine = { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null };
  await writeFile(path, JSON.stringify({ startedAt: startedAt.toISOString(), machine, results }, null, 2) + '\n');
  return path;
}

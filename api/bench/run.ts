/**
 * `npm run bench [-- name…]`: runs every benchmark, or those whose name contains one of the given filters.
 */
import { audit } from './audit.bench.ts';
import { classify } from './classify.bench.ts';
import { coldStart } from './cold-start.bench.ts';
import { masking } from './masking.bench.ts';
import { query } from './query.bench.ts';
import { note, runBenchmarks, type Benchmark } from './runner.ts';

const BENCHMARKS: readonly Benchmark[] = [coldStart, audit, query, classify, masking];

const filters = process.argv.slice(2);
const selected = filters.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => filters.some((f) => b.name.includes(f)));
if (selected.length === 0) {
  process.stderr.write(`no benchmark matches ${filters.join(', ')}; there are: ${BENCHMARKS.map((b) => b.name).join(', ')}\n`);
  process.exit(2);
}

const resultsFile = await runBenchmarks(selected);
note(`results written to ${resultsFile}`);
// Explicit: a store or timer a benchmark left behind must not keep the process alive.
process.exit(0);

/**
 * Audit chain: append (one event per transaction, sequentially) and verify (walk and re-hash the whole chain),
 * with the real store, AuditService and entities. Baseline, in the same run: a raw node:crypto loop computing
 * HMAC-SHA256 over a comparable canonical payload chained with the previous hash — the cryptographic floor of
 * the same work. Runs on embedded PGlite (in memory); also on PostgreSQL when BENCH_DATABASE_URL is set.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createInProcessBus } from '../src/bus/bus.ts';
import { AuditService, type AuditOrigin } from '../src/modules/audit/audit.service.ts';
import { OrganizationEntity } from '../src/modules/orgs/organization.entity.ts';
import { IN_MEMORY, openStore, type Store } from '../src/store/store.ts';
import { compare, note, repeat, timeIt, type Benchmark, type BenchResult, type Timing } from './runner.ts';

const APPENDS = 1_000;
const APPEND_WARMUP = 100;
const VERIFY_WARMUP = 1;
const VERIFY_RUNS = 5;
const APPEND_BASELINE = 'raw HMAC-SHA256 chain step, node:crypto';
const VERIFY_BASELINE = `raw HMAC-SHA256 over ${APPENDS} chained payloads, node:crypto`;

const ORIGIN: AuditOrigin = { actorId: null, actorType: 'SYSTEM', ipAddress: null, userAgent: null, source: 'SYSTEM' };

interface Target {
  label: string;
  databaseUrl: string | undefined;
}

export const audit: Benchmark = {
  name: 'audit',
  async run() {
    const postgresUrl = process.env.BENCH_DATABASE_URL || undefined;
    const targets: Target[] = [{ label: 'PGlite in memory', databaseUrl: undefined }];
    if (postgresUrl) targets.push({ label: 'PostgreSQL (BENCH_DATABASE_URL)', databaseUrl: postgresUrl });
    else note('audit: on PGlite only; set BENCH_DATABASE_URL=postgresql://… to also run on PostgreSQL');
    const results: BenchResult[] = [];
    for (const target of targets) results.push(...(await benchTarget(target)));
    return results;
  },
};

async function benchTarget(target: Target): Promise<BenchResult[]> {
  const store = await openStore({ databaseUrl: target.databaseUrl, dataDir: IN_MEMORY });
  const bus = createInProcessBus();
  try {
    await store.migrate();
    const key = randomBytes(32);
    const service = new AuditService(store, bus, key);
    const prefix = `audit.${store.kind}`;
    note(`${prefix}: ${APPENDS} appends after ${APPEND_WARMUP} warm-up appends on another organization, on ${target.label}`);
    // Warm up on another organization, so the measured chain holds exactly APPENDS rows for verify.
    await repeat(appender(store, service, await createOrganization(store)), APPEND_WARMUP);
    const orgId = await createOrganization(store);
    const append = await timeIt(appender(store, service, orgId), { warmup: 0, iterations: APPENDS });
    const appendBaseline = await timeIt(rawAppender(key, orgId), { warmup: APPEND_WARMUP, iterations: APPENDS });
    const verify = await timeIt(verifier(service, orgId), { warmup: VERIFY_WARMUP, iterations: VERIFY_RUNS });
    const verifyBaseline = await timeIt(rawVerifier(key, orgId), { warmup: VERIFY_WARMUP, iterations: VERIFY_RUNS });
    return [
      ...appendResults(prefix, target.label, append, appendBaseline),
      ...verifyResults(prefix, target.label, verify, verifyBaseline),
    ];
  } finally {
    await bus.close();
    await store.close();
  }
}

function appendResults(prefix: string, label: string, ours: Timing, baseline: Timing): BenchResult[] {
  const notes = `one append per transaction (advisory lock, read last hash, insert), sequential, on ${label}; mean ${ours.mean.toFixed(1)} µs vs ${baseline.mean.toFixed(2)} µs`;
  const common = { unit: 'µs', baselineLabel: APPEND_BASELINE, samples: ours.samples, notes };
  return [
    compare({ ...common, name: `${prefix}.append.p50`, ours: ours.p50, baseline: baseline.p50 }),
    compare({ ...common, name: `${prefix}.append.p99`, ours: ours.p99, baseline: baseline.p99 }),
  ];
}

function verifyResults(prefix: string, label: string, ours: Timing, baseline: Timing): BenchResult[] {
  const notes = `AuditService.verify over a ${APPENDS}-row chain on ${label}; median of ${ours.samples} runs`;
  const common = { baselineLabel: VERIFY_BASELINE, samples: ours.samples, notes };
  return [
    compare({ ...common, name: `${prefix}.verify`, unit: 'ms', ours: ours.p50 / 1_000, baseline: baseline.p50 / 1_000 }),
    compare({ ...common, name: `${prefix}.verify.per-row`, unit: 'µs/row', ours: ours.p50 / APPENDS, baseline: baseline.p50 / APPENDS }),
  ];
}

async function createOrganization(store: Store): Promise<string> {
  return store.system(async (em) => {
    const org = em.create(OrganizationEntity, { name: `bench-${randomUUID()}` });
    await em.flush();
    return org.id;
  });
}

function appender(store: Store, service: AuditService, orgId: string) {
  return (i: number) => store.tenant(orgId, (em) => service.append(em, orgId, ORIGIN, { action: 'BENCH', metadata: { i } }));
}

function verifier(service: AuditService, orgId: string) {
  return async () => {
    const result = await service.verify(orgId);
    if (!result.ok || result.checked !== APPENDS) throw new Error(`audit chain did not verify: ${JSON.stringify(result)}`);
  };
}

/** One chain step per call: build the payload of event `i`, HMAC it with the previous hash. */
function rawAppender(key: Buffer, orgId: string) {
  let previous: string | null = null;
  return (i: number) => {
    previous = rawChainStep(key, rawPayload(orgId, i), previous);
  };
}

/** The whole chain per call, over payloads built beforehand (as verify reads rows before hashing them). */
function rawVerifier(key: Buffer, orgId: string) {
  const payloads = Array.from({ length: APPENDS }, (_, i) => rawPayload(orgId, i));
  return () => {
    let previous: string | null = null;
    for (const payload of payloads) previous = rawChainStep(key, payload, previous);
    return previous;
  };
}

/** The same fields as an audit event, in a fixed order, as JSON. */
function rawPayload(orgId: string, i: number): Buffer {
  const fields = [randomUUID(), orgId, i + 1, null, 'SYSTEM', 'BENCH', null, null, `{"i":${i}}`, 'SYSTEM', null, null, new Date().toISOString()];
  return Buffer.from(JSON.stringify(fields), 'utf8');
}

function rawChainStep(key: Buffer, payload: Buffer, previous: string | null): string {
  const hmac = createHmac('sha256', key).update(payload);
  if (previous !== null) hmac.update(previous, 'utf8');
  return hmac.digest('hex');
}

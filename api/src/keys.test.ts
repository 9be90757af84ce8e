import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { loadKeys } from './keys.ts';

let dir: string;
const warnings: string[] = [];
const log = pino({ level: 'warn' }, { write: (line: string) => warnings.push((JSON.parse(line) as { msg: string }).msg) });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accessflow-keys-'));
  warnings.length = 0;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

it('creates each missing key once, mode 0600, says so, and reuses it on the next start', async () => {
  const config = loadConfig({ ACCESSFLOW_DATA_DIR: dir });
  const first = await loadKeys(config, log);
  for (const file of ['encryption.key', 'jwt-signing.key', 'audit-hmac.key']) {
    expect(((await stat(join(dir, file))).mode & 0o777).toString(8)).toBe('600');
  }
  expect(warnings).toHaveLength(3);
  expect(warnings[0]).toMatch(/created a new \w+ key in .*\(mode 0600\)/);

  warnings.length = 0;
  const second = await loadKeys(config, log);
  expect(second).toEqual(first);
  expect(warnings).toEqual([]);
  expect(first.maskingHash).toHaveLength(32);
  expect(first.maskingHash.equals(first.encryption)).toBe(false);
});

it('takes keys from the environment and writes no file for them', async () => {
  const audit = randomBytes(32).toString('hex');
  const keys = await loadKeys(loadConfig({ ACCESSFLOW_DATA_DIR: dir, AUDIT_HMAC_KEY: audit }), log);
  expect(keys.auditHmac.toString('hex')).toBe(audit);
  await expect(readFile(join(dir, 'audit-hmac.key'))).rejects.toThrow(/ENOENT/);
});

it('refuses a malformed key from the environment with a message naming it', () => {
  expect(() => loadConfig({ ENCRYPTION_KEY: 'abc' })).toThrow(/ENCRYPTION_KEY/);
});

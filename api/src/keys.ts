/**
 * Key material: from the environment, or created once in the data dir (mode 0600) and reused after.
 * Separate keys for secret encryption, token signing and the audit chain, so one can rotate without the others.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

export interface Keys {
  /** AES-256-GCM key for stored secrets. */
  encryption: Buffer;
  /** HMAC key for JWT access tokens (HS256). */
  jwtSigning: Buffer;
  /** HMAC-SHA256 key of the audit chain. */
  auditHmac: Buffer;
  /** HMAC key of the HASH masking strategy, derived from the encryption key (stable across restarts). */
  maskingHash: Buffer;
}

const KEY_FILES = { encryption: 'encryption.key', jwtSigning: 'jwt-signing.key', auditHmac: 'audit-hmac.key' } as const;

export async function loadKeys(config: Config, log: Logger): Promise<Keys> {
  const entries = await Promise.all(
    (Object.keys(KEY_FILES) as (keyof typeof KEY_FILES)[]).map(async (name) => {
      const fromEnv = config.keys[name];
      if (fromEnv) return [name, Buffer.from(fromEnv, 'hex')] as const;
      return [name, await keyFromFile(join(config.dataDir, KEY_FILES[name]), name, log)] as const;
    }),
  );
  const keys = Object.fromEntries(entries) as Record<keyof typeof KEY_FILES, Buffer>;
  const maskingHash = Buffer.from(hkdfSync('sha256', keys.encryption, Buffer.alloc(0), 'accessflow-masking-hash-v1', 32));
  return { ...keys, maskingHash };
}

async function keyFromFile(path: string, name: string, log: Logger): Promise<Buffer> {
  try {
    const hex = (await readFile(path, 'utf8')).trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`key file ${path} is not 32 bytes of hex`);
    return Buffer.from(hex, 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  await mkdir(join(path, '..'), { recursive: true });
  // 'wx' fails if another process created it meanwhile, rather than overwriting a key already in use.
  await writeFile(path, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  log.warn({ key: name, path }, `created a new ${name} key in ${path} (mode 0600); back it up, or set it from the environment`);
  return key;
}

/**
 * The audit chain's canonical encoding and hash. Each field is a 4-byte big-endian length and its UTF-8 bytes
 * (length 0xFFFFFFFF for null), in a fixed order; metadata is JSON with recursively sorted keys.
 * hash = HMAC-SHA256(key, canonical ‖ previousHash as hex text, or nothing for the first row of an org).
 */
import { createHmac } from 'node:crypto';
import { secretKeyOf } from '../../crypto/secret-key.ts';

export interface ChainedFields {
  id: string;
  organizationId: string;
  seq: number;
  actorId?: string | null;
  actorType: string;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  metadata: unknown;
  source: string;
  ipAddress?: string | null;
  userAgent?: string | null;
  createdAt: Date;
}

const NULL_LENGTH = 0xffffffff;

export function canonicalBytes(row: ChainedFields): Buffer {
  const fields: (string | null)[] = [
    row.id,
    row.organizationId,
    String(row.seq),
    row.actorId ?? null,
    row.actorType,
    row.action,
    row.targetType ?? null,
    row.targetId ?? null,
    sortedJson(row.metadata),
    row.source,
    row.ipAddress ?? null,
    row.userAgent ?? null,
    row.createdAt.toISOString(),
  ];
  // One buffer, sized first: the fields are written in place instead of as 20-odd small buffers joined.
  let size = 0;
  for (const field of fields) size += 4 + (field === null ? 0 : Buffer.byteLength(field, 'utf8'));
  const bytes = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const field of fields) {
    if (field === null) {
      offset = bytes.writeUInt32BE(NULL_LENGTH, offset);
    } else {
      const length = bytes.write(field, offset + 4, 'utf8');
      bytes.writeUInt32BE(length, offset);
      offset += 4 + length;
    }
  }
  return bytes;
}

export function chainHash(key: Buffer, row: ChainedFields, previousHash: string | null): string {
  const hmac = createHmac('sha256', secretKeyOf(key)).update(canonicalBytes(row));
  if (previousHash !== null) hmac.update(previousHash, 'utf8');
  return hmac.digest('hex');
}

export function sortedJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** The MAC of a chain anchor (organization, last seq, last hash): forging a shorter chain needs the key. */
export function anchorMac(key: Buffer, organizationId: string, seq: number, hash: string | null): string {
  return createHmac('sha256', secretKeyOf(key)).update(`accessflow-audit-anchor-v1\0${organizationId}\0${seq}\0${hash ?? ''}`, 'utf8').digest('hex');
}

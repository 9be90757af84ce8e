/**
 * The chain's encoding is a stored format: events written by an earlier version must still verify. These vectors
 * pin the canonical bytes and the hash of fixed rows; a change that alters them breaks every existing chain.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, chainHash, type ChainedFields } from './chain.ts';

const KEY = Buffer.alloc(32, 7);

const ROW: ChainedFields = {
  id: '00000000-0000-4000-8000-000000000001',
  organizationId: '00000000-0000-4000-8000-0000000000aa',
  seq: 42,
  actorId: null,
  actorType: 'USER',
  action: 'QUERY_EXECUTED',
  targetType: 'QueryRequest',
  targetId: 'ä€😀',
  metadata: { z: 1, a: [{ y: null, b: 'ü' }] },
  source: 'API',
  ipAddress: '127.0.0.1',
  userAgent: null,
  createdAt: new Date('2026-01-02T03:04:05.678Z'),
};

/** Length-prefixed UTF-8 fields in the documented order, built independently of the implementation. */
function expectedBytes(fields: (string | null)[]): Buffer {
  return Buffer.concat(
    fields.map((field) => {
      const length = Buffer.alloc(4);
      if (field === null) {
        length.writeUInt32BE(0xffffffff);
        return length;
      }
      const bytes = Buffer.from(field, 'utf8');
      length.writeUInt32BE(bytes.length);
      return Buffer.concat([length, bytes]);
    }),
  );
}

describe('audit chain encoding', () => {
  it('writes each field as a 4-byte big-endian length and its UTF-8 bytes, null as 0xFFFFFFFF, metadata with sorted keys', () => {
    const expected = expectedBytes([
      ROW.id,
      ROW.organizationId,
      '42',
      null,
      'USER',
      'QUERY_EXECUTED',
      'QueryRequest',
      'ä€😀',
      '{"a":[{"b":"ü","y":null}],"z":1}',
      'API',
      '127.0.0.1',
      null,
      '2026-01-02T03:04:05.678Z',
    ]);
    expect(canonicalBytes(ROW).equals(expected)).toBe(true);
  });

  it('hashes with HMAC-SHA256 over the bytes and the previous hash as hex text', () => {
    const previous = 'ab'.repeat(32);
    const expected = createHmac('sha256', KEY).update(canonicalBytes(ROW)).update(previous, 'utf8').digest('hex');
    expect(chainHash(KEY, ROW, previous)).toBe(expected);
    expect(chainHash(KEY, ROW, null)).toBe(createHmac('sha256', KEY).update(canonicalBytes(ROW)).digest('hex'));
    // Pinned: the same row, key and previous hash must keep this value across versions.
    expect(chainHash(KEY, ROW, previous)).toMatchInlineSnapshot(`"65f99cca2ab3063e56c8b2d0edf881531c0db61beff83fde052dc73238f2a02e"`);
  });
});

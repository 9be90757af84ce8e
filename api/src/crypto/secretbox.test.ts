import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { decryptSecret, encryptSecret } from './secretbox.ts';

const key = randomBytes(32);

it('round-trips, with a fresh IV each time', () => {
  const a = encryptSecret(key, 'pä$$wörd');
  const b = encryptSecret(key, 'pä$$wörd');
  expect(a).not.toBe(b);
  expect(a).not.toContain('pä$$wörd');
  expect(decryptSecret(key, a)).toBe('pä$$wörd');
});

it('refuses a changed ciphertext or the wrong key', () => {
  const stored = Buffer.from(encryptSecret(key, 'secret'), 'base64');
  stored[14] = stored[14]! ^ 1;
  expect(() => decryptSecret(key, stored.toString('base64'))).toThrow();
  expect(() => decryptSecret(randomBytes(32), encryptSecret(key, 'secret'))).toThrow();
});

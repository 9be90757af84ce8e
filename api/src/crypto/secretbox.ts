/**
 * Stored secrets (datasource passwords, connector credentials …): AES-256-GCM with a random 12-byte IV,
 * stored as base64(IV ‖ ciphertext ‖ 16-byte tag). The tag makes any change to the stored value detectable.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { secretKeyOf } from './secret-key.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function encryptSecret(key: Buffer, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', secretKeyOf(key), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
}

export function decryptSecret(key: Buffer, stored: string): string {
  const bytes = Buffer.from(stored, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('stored secret is malformed');
  const decipher = createDecipheriv('aes-256-gcm', secretKeyOf(key), bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
}

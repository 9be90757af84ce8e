/**
 * Keys as node:crypto KeyObjects, made once per key buffer: given a Buffer, every createHmac / createCipheriv
 * imports the key again (about 25 µs each on Node 24, several times per governed query); a KeyObject is used as is.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';

const keyObjects = new WeakMap<Buffer, KeyObject>();

export function secretKeyOf(key: Buffer): KeyObject {
  let keyObject = keyObjects.get(key);
  if (keyObject === undefined) {
    keyObject = createSecretKey(key);
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}

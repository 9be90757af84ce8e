/**
 * Terraform's DynamicValue: msgpack objects carrying every attribute (nil for null), unknown values as a msgpack
 * extension (type 0; any extension type is read as unknown, e.g. 12 = unknown with refinements).
 */
import { Decoder, Encoder, ExtensionCodec } from '@msgpack/msgpack';

/** A value Terraform will only know after apply. */
export const UNKNOWN: unique symbol = Symbol('unknown');

export type TfValue = null | string | number | boolean | typeof UNKNOWN | TfValue[] | { [key: string]: TfValue };
export type TfObject = { [key: string]: TfValue };

const codec = new ExtensionCodec();
for (const type of [0, 12]) {
  codec.register({
    type,
    encode: (value: unknown) => (value === UNKNOWN && type === 0 ? new Uint8Array([0]) : null),
    decode: () => UNKNOWN,
  });
}

// One of each, reused: building a codec per value (what decode()/encode() with options do) dominated an RPC.
const decoder = new Decoder({ extensionCodec: codec });
const encoder = new Encoder({ extensionCodec: codec, ignoreUndefined: false });

export interface DynamicValue {
  msgpack?: Uint8Array | Buffer;
  json?: Uint8Array | Buffer;
}

export function decodeValue(value: DynamicValue | null | undefined): TfValue {
  if (value?.msgpack && value.msgpack.length > 0) return normalise(decoder.decode(value.msgpack));
  if (value?.json && value.json.length > 0) return normalise(JSON.parse(Buffer.from(value.json).toString('utf8')));
  return null;
}

export function encodeValue(value: TfValue): DynamicValue {
  return { msgpack: encoder.encode(value) };
}

/** Numbers may arrive as decimal strings only where a number is expected; callers convert per schema type. */
function normalise(value: unknown): TfValue {
  if (value === undefined || value === null) return null;
  if (value === UNKNOWN || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(normalise);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), normalise(v)]));
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  return null;
}

export function isKnown(value: TfValue): boolean {
  if (value === UNKNOWN) return false;
  if (Array.isArray(value)) return value.every(isKnown);
  if (value !== null && typeof value === 'object') return Object.values(value).every(isKnown);
  return true;
}

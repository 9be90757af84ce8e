/**
 * Column masking strategies (FEATURES C7). Pure functions: no database, no GraphQL.
 *
 * Semantics (the seed product's, with one deliberate change to HASH):
 * - NULL (`null` / `undefined`) stays `null`, whatever the strategy.
 * - Anything else is masked as text: strings as they are, numbers/booleans/bigints with `String()`,
 *   dates as their ISO string, other objects with `JSON.stringify`.
 * - FULL              → `***` (hides the length too).
 * - PARTIAL           → `*` × (len − N) + the last N characters, N = `visible_suffix` (default 4; a value that is not a
 *                       non-negative integer falls back to 4). When len ≤ N the whole value becomes `*` × len.
 *                       Lengths are counted in Unicode code points, so an emoji is one character.
 * - HASH              → lowercase hex HMAC-SHA256(hashKey, salt + value). Keyed on purpose: a plain SHA-256 of a
 *                       low-entropy value (an SSN, a phone number) is reversible by enumerating every candidate.
 *                       Stable for one key, so joins and GROUP BYs on masked values still line up.
 * - EMAIL             → first character of the local part + `***@` + domain, split at the FIRST `@`. No `@`, a
 *                       leading `@` or a trailing `@` → `***`.
 * - FORMAT_PRESERVING → every digit → `*`, every letter (\p{L}) → `x`, everything else kept.
 */
import { createHmac } from 'node:crypto';
import { secretKeyOf } from '../../crypto/secret-key.ts';

export const MASKING_STRATEGIES = ['FULL', 'PARTIAL', 'HASH', 'EMAIL', 'FORMAT_PRESERVING'] as const;
export type MaskingStrategy = (typeof MASKING_STRATEGIES)[number];

/** Masks one cell. `null`/`undefined` → `null`; everything else → a masked string. */
export type ValueMasker = (value: unknown) => string | null;

const DEFAULT_VISIBLE_SUFFIX = 4;
const FULL_MASK = '***';
/** Any UTF-16 surrogate: when absent, `.length` counts code points and the fast path applies. */
const SURROGATE = /[\uD800-\uDFFF]/;
/** One non-ASCII character (a code point) that is a decimal digit / a letter. */
const DIGIT = /^\p{Nd}$/u;
const LETTER = /^\p{L}$/u;
/** `STARS[n]` is `*` × n, for the common short lengths. */
const STARS: readonly string[] = Array.from({ length: 65 }, (_, n) => '*'.repeat(n));
const stars = (n: number): string => (n < STARS.length ? STARS[n]! : '*'.repeat(n));

/** The text a non-null value is masked as. */
export function maskingText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object': {
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
      try {
        const json = JSON.stringify(value);
        if (json !== undefined) return json;
      } catch {
        // circular structures, bigints inside objects: fall through to String()
      }
      return String(value);
    }
    default:
      return String(value);
  }
}

/** `params.visible_suffix` as a non-negative integer, or 4 when absent or not one. */
export function visibleSuffix(params: Record<string, string>): number {
  const raw = params['visible_suffix'];
  if (raw === undefined) return DEFAULT_VISIBLE_SUFFIX;
  const text = raw.trim();
  if (!/^\d+$/.test(text)) return DEFAULT_VISIBLE_SUFFIX;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : DEFAULT_VISIBLE_SUFFIX;
}

function partial(text: string, visible: number): string {
  if (!SURROGATE.test(text)) {
    const len = text.length;
    if (len <= visible) return stars(len);
    return stars(len - visible) + (visible === 0 ? '' : text.slice(len - visible));
  }
  const points = Array.from(text);
  const len = points.length;
  if (len <= visible) return stars(len);
  return stars(len - visible) + (visible === 0 ? '' : points.slice(len - visible).join(''));
}

function email(text: string): string {
  const at = text.indexOf('@');
  if (at <= 0 || at === text.length - 1) return FULL_MASK;
  const first = text.codePointAt(0) ?? 0;
  const firstChar = first > 0xffff ? text.slice(0, 2) : text.slice(0, 1);
  return `${firstChar}***@${text.slice(at + 1)}`;
}

/** A character loop rather than `replace(/\p{Nd}/gu, …)`: about 3× faster on typical values. */
function formatPreserving(text: string): string {
  let out = '';
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      const lower = c | 0x20;
      out += c >= 0x30 && c <= 0x39 ? '*' : lower >= 0x61 && lower <= 0x7a ? 'x' : text[i]!;
      continue;
    }
    let ch = text[i]!;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        ch = text.slice(i, i + 2);
        i++;
      }
    }
    out += DIGIT.test(ch) ? '*' : LETTER.test(ch) ? 'x' : ch;
  }
  return out;
}

/** The most distinct values one HASH masker remembers (per column, per result) before starting afresh. */
const HASH_MEMO_LIMIT = 50_000;

/** HMAC-SHA256 keyed once, lowercase hex; repeated values (a join, a status column) come from a bounded memo. */
export function hmacSha256Hex(key: Buffer): (text: string) => string {
  // Repeated values (common in a column) are computed once.
  const keyObject = secretKeyOf(key);
  const memo = new Map<string, string>();
  return (text) => {
    const known = memo.get(text);
    if (known !== undefined) return known;
    const digest = createHmac('sha256', keyObject).update(text, 'utf8').digest('hex');
    if (memo.size >= HASH_MEMO_LIMIT) memo.clear();
    memo.set(text, digest);
    return digest;
  };
}

/** A function masking text with one strategy; parameters are parsed once here. */
export function compileTextMasker(strategy: MaskingStrategy, params: Record<string, string>, hashKey: Buffer): (text: string) => string {
  switch (strategy) {
    case 'FULL':
      return () => FULL_MASK;
    case 'PARTIAL': {
      const visible = visibleSuffix(params);
      return (text) => partial(text, visible);
    }
    case 'HASH': {
      if (hashKey.length === 0) throw new Error('HASH masking needs a non-empty key');
      const salt = params['salt'] ?? '';
      const hmac = hmacSha256Hex(hashKey);
      return salt === '' ? hmac : (text) => hmac(salt + text);
    }
    case 'EMAIL':
      return email;
    case 'FORMAT_PRESERVING':
      return formatPreserving;
    default: {
      // A strategy this build does not know (a newer database row, a typo that slipped through): fail closed.
      const unknown: never = strategy;
      void unknown;
      return () => FULL_MASK;
    }
  }
}

/** A function masking one cell with one strategy; compile once per column, call per row. */
export function compileMasker(strategy: MaskingStrategy, params: Record<string, string>, hashKey: Buffer): ValueMasker {
  const mask = compileTextMasker(strategy, params, hashKey);
  return (value) => {
    if (value === null || value === undefined) return null;
    return mask(typeof value === 'string' ? value : maskingText(value));
  };
}

/** Masks one value. For many values with the same strategy, prefer `compileMasker`. */
export function maskValue(value: unknown, strategy: MaskingStrategy, params: Record<string, string>, hashKey: Buffer): unknown {
  if (value === null || value === undefined) return null;
  return compileTextMasker(strategy, params, hashKey)(typeof value === 'string' ? value : maskingText(value));
}

import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compileMasker, hmacSha256Hex, maskValue, maskingText, visibleSuffix, type MaskingStrategy } from './strategies.ts';

const KEY = Buffer.from('0123456789abcdef0123456789abcdef', 'utf8');
const OTHER_KEY = Buffer.from('fedcba9876543210fedcba9876543210', 'utf8');
const mask = (value: unknown, strategy: MaskingStrategy, params: Record<string, string> = {}): unknown => maskValue(value, strategy, params, KEY);
const hmacHex = (key: Buffer, text: string): string => createHmac('sha256', key).update(text, 'utf8').digest('hex');

describe('NULL and non-string values', () => {
  const strategies: MaskingStrategy[] = ['FULL', 'PARTIAL', 'HASH', 'EMAIL', 'FORMAT_PRESERVING'];
  it.each(strategies)('%s keeps null and undefined as null', (strategy) => {
    expect(mask(null, strategy)).toBeNull();
    expect(mask(undefined, strategy)).toBeNull();
    expect(compileMasker(strategy, {}, KEY)(null)).toBeNull();
    expect(compileMasker(strategy, {}, KEY)(undefined)).toBeNull();
  });

  it('converts numbers, booleans and bigints with String(), objects with JSON.stringify, dates to ISO', () => {
    expect(maskingText(12345)).toBe('12345');
    expect(maskingText(1.5)).toBe('1.5');
    expect(maskingText(true)).toBe('true');
    expect(maskingText(12n)).toBe('12');
    expect(maskingText({ a: 1, b: 'x' })).toBe('{"a":1,"b":"x"}');
    expect(maskingText([1, 2])).toBe('[1,2]');
    expect(maskingText(new Date('2024-01-02T03:04:05.000Z'))).toBe('2024-01-02T03:04:05.000Z');
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(maskingText(circular)).toBe('[object Object]');
  });

  it('masks numbers as their text', () => {
    expect(mask(123456789, 'PARTIAL')).toBe('*****6789');
    expect(mask(42, 'FULL')).toBe('***');
    expect(mask(1234.5, 'FORMAT_PRESERVING')).toBe('****.*');
    expect(mask(false, 'FORMAT_PRESERVING')).toBe('xxxxx');
    expect(mask(123456789, 'HASH')).toBe(mask('123456789', 'HASH'));
    expect(mask({ card: '4111' }, 'FORMAT_PRESERVING')).toBe('{"xxxx":"****"}');
  });
});

describe('FULL', () => {
  it('always yields *** (hiding the length)', () => {
    expect(mask('', 'FULL')).toBe('***');
    expect(mask('a', 'FULL')).toBe('***');
    expect(mask('a much longer secret value', 'FULL')).toBe('***');
    expect(mask('😀', 'FULL')).toBe('***');
  });
});

describe('PARTIAL', () => {
  it('keeps the last 4 characters by default', () => {
    expect(mask('4111111111111111', 'PARTIAL')).toBe('************1111');
    expect(mask('12345', 'PARTIAL')).toBe('*2345');
  });

  it('masks everything when the value is no longer than N', () => {
    expect(mask('', 'PARTIAL')).toBe('');
    expect(mask('a', 'PARTIAL')).toBe('*');
    expect(mask('abcd', 'PARTIAL')).toBe('****');
    expect(mask('abc', 'PARTIAL', { visible_suffix: '3' })).toBe('***');
  });

  it('honours visible_suffix', () => {
    expect(mask('123-45-6789', 'PARTIAL', { visible_suffix: '2' })).toBe('*********89');
    expect(mask('secret', 'PARTIAL', { visible_suffix: '0' })).toBe('******');
    expect(mask('secret', 'PARTIAL', { visible_suffix: ' 1 ' })).toBe('*****t');
  });

  it.each(['-1', '1.5', 'abc', '', '2e1', '0x2', String(2 ** 60)])('falls back to 4 for visible_suffix %j', (raw) => {
    expect(visibleSuffix({ visible_suffix: raw })).toBe(4);
    expect(mask('abcdefgh', 'PARTIAL', { visible_suffix: raw })).toBe('****efgh');
  });

  it('counts Unicode code points, not UTF-16 units', () => {
    expect(mask('😀😀😀😀😀', 'PARTIAL')).toBe('*😀😀😀😀');
    expect(mask('ab😀c', 'PARTIAL', { visible_suffix: '2' })).toBe('**😀c');
    expect(mask('😀😀', 'PARTIAL')).toBe('**');
    expect(mask('😀😀', 'PARTIAL', { visible_suffix: '1' })).toBe('*😀');
    expect(mask('héllo wörld', 'PARTIAL')).toBe('*******örld');
  });

  it('handles values longer than the precomputed star table', () => {
    const long = 'x'.repeat(200) + 'tail';
    expect(mask(long, 'PARTIAL')).toBe('*'.repeat(200) + 'tail');
  });
});

describe('HASH', () => {
  it('is HMAC-SHA256 with the key, in lowercase hex', () => {
    const masked = mask('123-45-6789', 'HASH');
    expect(masked).toBe(hmacHex(KEY, '123-45-6789'));
    expect(masked).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is not a plain (dictionary-reversible) SHA-256', () => {
    expect(mask('123-45-6789', 'HASH')).not.toBe(createHash('sha256').update('123-45-6789').digest('hex'));
  });

  it('is stable for one key and differs between keys', () => {
    expect(mask('alice', 'HASH')).toBe(mask('alice', 'HASH'));
    expect(maskValue('alice', 'HASH', {}, OTHER_KEY)).not.toBe(mask('alice', 'HASH'));
    expect(mask('alice', 'HASH')).not.toBe(mask('bob', 'HASH'));
    const masker = compileMasker('HASH', {}, KEY);
    expect(masker('alice')).toBe(masker('alice'));
    expect(masker('alice')).toBe(mask('alice', 'HASH'));
  });

  it('prepends an optional salt', () => {
    expect(mask('alice', 'HASH', { salt: 'pepper:' })).toBe(hmacHex(KEY, 'pepper:alice'));
    expect(mask('alice', 'HASH', { salt: 'pepper:' })).not.toBe(mask('alice', 'HASH'));
  });

  it('hashes edge-case values', () => {
    expect(mask('', 'HASH')).toBe(hmacHex(KEY, ''));
    expect(mask('😀', 'HASH')).toBe(hmacHex(KEY, '😀'));
  });

  it('refuses an empty key rather than hash unkeyed', () => {
    expect(() => maskValue('x', 'HASH', {}, Buffer.alloc(0))).toThrow(/key/);
  });

  it('matches createHmac for short, long and multibyte values and for every key length', () => {
    const keys = [Buffer.from('k'), KEY, Buffer.alloc(64, 7), Buffer.alloc(65, 9), Buffer.alloc(200, 3)];
    const values = ['', 'a', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'é€😀', 'é'.repeat(1365), 'é'.repeat(1400), '😀'.repeat(682), 'y'.repeat(1365), 'y'.repeat(1366), 'z'.repeat(10_000), '\u0000\uffff'];
    for (const key of keys) {
      const hmac = hmacSha256Hex(key);
      for (const value of values) {
        expect(hmac(value)).toBe(hmacHex(key, value));
        expect(hmac(value)).toBe(hmacHex(key, value)); // the memoised answer too
      }
    }
  });

  it('stays correct after the memo fills up', () => {
    const hmac = hmacSha256Hex(KEY);
    for (let i = 0; i < 50_010; i++) hmac(`v${i}`);
    expect(hmac('v0')).toBe(hmacHex(KEY, 'v0'));
    expect(hmac('v50009')).toBe(hmacHex(KEY, 'v50009'));
  });
});

describe('EMAIL', () => {
  it('keeps the first character of the local part and the domain', () => {
    expect(mask('alice@example.com', 'EMAIL')).toBe('a***@example.com');
    expect(mask('a@b', 'EMAIL')).toBe('a***@b');
  });

  it('splits at the first @', () => {
    expect(mask('a@b@c', 'EMAIL')).toBe('a***@b@c');
  });

  it.each(['', 'a', 'no-at-sign', '@b', 'a@', '@'])('fully masks %j', (value) => {
    expect(mask(value, 'EMAIL')).toBe('***');
  });

  it('keeps a whole astral first character', () => {
    expect(mask('😀user@example.com', 'EMAIL')).toBe('😀***@example.com');
    expect(mask('élodie@exemple.fr', 'EMAIL')).toBe('é***@exemple.fr');
  });

  it('masks non-strings by their text', () => {
    expect(mask(12345, 'EMAIL')).toBe('***');
  });
});

describe('FORMAT_PRESERVING', () => {
  it('turns digits into * and letters into x, keeping everything else', () => {
    expect(mask('4111-1111-1111-1111', 'FORMAT_PRESERVING')).toBe('****-****-****-****');
    expect(mask('AB12 3CD', 'FORMAT_PRESERVING')).toBe('xx** *xx');
    expect(mask('(555) 010-9999 ext. 7', 'FORMAT_PRESERVING')).toBe('(***) ***-**** xxx. *');
  });

  it('handles empty and one-character values', () => {
    expect(mask('', 'FORMAT_PRESERVING')).toBe('');
    expect(mask('a', 'FORMAT_PRESERVING')).toBe('x');
    expect(mask('7', 'FORMAT_PRESERVING')).toBe('*');
    expect(mask('-', 'FORMAT_PRESERVING')).toBe('-');
  });

  it('treats Unicode letters and digits as letters and digits', () => {
    expect(mask('Ünïcødé', 'FORMAT_PRESERVING')).toBe('xxxxxxx');
    expect(mask('Москва 2024', 'FORMAT_PRESERVING')).toBe('xxxxxx ****');
    expect(mask('東京', 'FORMAT_PRESERVING')).toBe('xx');
    expect(mask('٣٤', 'FORMAT_PRESERVING')).toBe('**'); // Arabic-Indic digits
    expect(mask('𝐀b', 'FORMAT_PRESERVING')).toBe('xx'); // an astral letter is one x
  });

  it('keeps emoji and symbols', () => {
    expect(mask('hi 😀!', 'FORMAT_PRESERVING')).toBe('xx 😀!');
    expect(mask('€5', 'FORMAT_PRESERVING')).toBe('€*');
  });

  it('keeps a lone surrogate as it is', () => {
    expect(mask('a\uD800b', 'FORMAT_PRESERVING')).toBe('x\uD800x');
  });
});

describe('an unknown strategy (a newer database row)', () => {
  it('fails closed to FULL', () => {
    expect(maskValue('secret', 'SOMETHING_NEW' as MaskingStrategy, {}, KEY)).toBe('***');
  });
});

/**
 * PostgreSQL values in and out.
 *
 * Out: rows arrive in text format (the engine sets the output format of DateStyle to ISO — the day/month order
 * used to read input stays the server's — and `bytea_output = hex` for the transaction, so the formats below
 * are fixed) and become JSON-safe primitives:
 * - bool → boolean; int2/int4/oid/xid/cid → number; float4/float8 → number ('NaN', 'Infinity', '-Infinity' stay
 *   strings, JSON has no such numbers);
 * - int8, numeric, money → string (exact);
 * - timestamptz → ISO 8601 in UTC with the server's precision, e.g. 2024-01-02T03:04:05.123456Z;
 *   timestamp → ISO 8601 without zone, e.g. 2024-01-02T03:04:05.123456; date → YYYY-MM-DD;
 *   'infinity', BC dates and years past 9999 stay as PostgreSQL prints them;
 * - bytea → base64;
 * - json, jsonb → their JSON text as a string (not parsed: the text is what the database returned, a parsed
 *   value would lose key order and duplicate keys of json, and big numbers of both);
 * - everything else (text, uuid, time, interval, arrays, ranges, enums, composites, …) → PostgreSQL's text.
 *
 * In: parameters are sent as text (or binary for bytes) and typed by the server from the statement.
 */

/** typname of the built-in types (pg_type.oid → typname); other types are looked up in pg_type. */
export const BUILTIN_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [16, 'bool'], [17, 'bytea'], [18, 'char'], [19, 'name'], [20, 'int8'], [21, 'int2'], [22, 'int2vector'],
  [23, 'int4'], [24, 'regproc'], [25, 'text'], [26, 'oid'], [27, 'tid'], [28, 'xid'], [29, 'cid'],
  [30, 'oidvector'], [114, 'json'], [142, 'xml'], [194, 'pg_node_tree'], [600, 'point'], [601, 'lseg'],
  [602, 'path'], [603, 'box'], [604, 'polygon'], [628, 'line'], [650, 'cidr'], [700, 'float4'], [701, 'float8'],
  [705, 'unknown'], [718, 'circle'], [774, 'macaddr8'], [790, 'money'], [829, 'macaddr'], [869, 'inet'],
  [1033, 'aclitem'], [1042, 'bpchar'], [1043, 'varchar'], [1082, 'date'], [1083, 'time'], [1114, 'timestamp'],
  [1184, 'timestamptz'], [1186, 'interval'], [1266, 'timetz'], [1560, 'bit'], [1562, 'varbit'], [1700, 'numeric'],
  [1790, 'refcursor'], [2202, 'regprocedure'], [2203, 'regoper'], [2204, 'regoperator'], [2205, 'regclass'],
  [2206, 'regtype'], [2249, 'record'], [2275, 'cstring'], [2278, 'void'], [2950, 'uuid'], [2970, 'txid_snapshot'],
  [3220, 'pg_lsn'], [3614, 'tsvector'], [3615, 'tsquery'], [3734, 'regconfig'], [3769, 'regdictionary'],
  [3802, 'jsonb'], [3904, 'int4range'], [3906, 'numrange'], [3908, 'tsrange'], [3910, 'tstzrange'],
  [3912, 'daterange'], [3926, 'int8range'], [4072, 'jsonpath'], [4089, 'regnamespace'], [4096, 'regrole'],
  [5038, 'pg_snapshot'], [5069, 'xid8'],
  [143, '_xml'], [199, '_json'], [651, '_cidr'], [791, '_money'], [1000, '_bool'], [1001, '_bytea'],
  [1002, '_char'], [1003, '_name'], [1005, '_int2'], [1007, '_int4'], [1009, '_text'], [1014, '_bpchar'],
  [1015, '_varchar'], [1016, '_int8'], [1021, '_float4'], [1022, '_float8'], [1028, '_oid'], [1040, '_macaddr'],
  [1041, '_inet'], [1115, '_timestamp'], [1182, '_date'], [1183, '_time'], [1185, '_timestamptz'],
  [1187, '_interval'], [1231, '_numeric'], [1270, '_timetz'], [1561, '_bit'], [1563, '_varbit'], [2951, '_uuid'],
  [3807, '_jsonb'], [3905, '_int4range'], [3907, '_numrange'], [3909, '_tsrange'], [3911, '_tstzrange'],
  [3913, '_daterange'], [3927, '_int8range'],
]);

const INTEGER_TYPES = new Set([21, 23, 26, 28, 29]);
const FLOAT_TYPES = new Set([700, 701]);

/** Converts one text-format value of type `oid` to a JSON-safe primitive. */
export function fromPostgresText(oid: number, text: string | null): unknown {
  if (text === null) return null;
  if (oid === 16) return text === 't';
  if (INTEGER_TYPES.has(oid)) return Number(text);
  if (FLOAT_TYPES.has(oid)) {
    const number = Number(text);
    return Number.isFinite(number) ? number : text;
  }
  if (oid === 17) return text.startsWith('\\x') ? Buffer.from(text.slice(2), 'hex').toString('base64') : text;
  if (oid === 1114) return timestampToIso(text);
  if (oid === 1184) return timestamptzToIso(text);
  return text;
}

const TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?$/;
const TIMESTAMPTZ = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?$/;

/** "2024-01-02 03:04:05.123456" → "2024-01-02T03:04:05.123456". */
function timestampToIso(text: string): string {
  return TIMESTAMP.test(text) ? text.replace(' ', 'T') : text;
}

/** "2024-01-02 05:04:05.123456+02" → "2024-01-02T03:04:05.123456Z" (microseconds kept, offsets of any form). */
function timestamptzToIso(text: string): string {
  const match = TIMESTAMPTZ.exec(text);
  if (match === null) return text;
  const [, year, month, day, hour, minute, second, fraction = '', sign, offsetHours, offsetMinutes = '0', offsetSeconds = '0'] = match;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hour), Number(minute), Number(second), 0);
  const offset = (Number(offsetHours) * 3600 + Number(offsetMinutes) * 60 + Number(offsetSeconds)) * 1000;
  const utc = new Date(date.getTime() - (sign === '-' ? -offset : offset));
  const year4 = utc.getUTCFullYear();
  if (year4 < 1 || year4 > 9999) return text;
  // toISOString() gives YYYY-MM-DDTHH:MM:SS.mmmZ; the fraction is put back with the server's precision.
  return `${utc.toISOString().slice(0, 19)}${fraction}Z`;
}

/**
 * A bind parameter as pg's protocol layer takes it: text, bytes (sent in binary format) or NULL. Arrays and
 * objects are sent as JSON text (for json/jsonb parameters; an array parameter takes PostgreSQL's array literal
 * as a string, e.g. '{1,2,3}').
 */
export function toPostgresParam(value: unknown): string | Buffer | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      break;
  }
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** Rows written according to a command tag ("INSERT 0 3", "UPDATE 2", "DELETE 1", "MERGE 4"). */
export function rowsWrittenByTag(tag: string | null): number {
  if (tag === null) return 0;
  const match = /^(INSERT \d+|UPDATE|DELETE|MERGE) (\d+)$/.exec(tag);
  return match === null ? 0 : Number(match[2]);
}

/**
 * MySQL/MariaDB values in and out.
 *
 * The connection is opened with `supportBigNumbers` + `bigNumberStrings`, `dateStrings` and `jsonStrings`, so
 * mysql2 hands over BIGINT and DECIMAL as strings, temporal values as the server's text and JSON as its text.
 * Out, as JSON-safe primitives:
 * - TINYINT…INT, YEAR, FLOAT, DOUBLE → number (FLOAT as the shortest decimal that is the same 32-bit float, so
 *   the text and the binary protocol agree: 0.1, not 0.10000000149011612);
 * - BIGINT, DECIMAL → string (exact);
 * - DATETIME, TIMESTAMP → ISO 8601 without zone, e.g. 2024-01-02T03:04:05.123456 (MySQL keeps no zone with a
 *   DATETIME, and a TIMESTAMP is shown in the session time zone); DATE → YYYY-MM-DD; TIME → as the server prints
 *   it (it may be negative or above 24 h); zero dates ('0000-00-00…') stay as they are;
 * - BIT → number (a string above 2^53);
 * - binary strings (BINARY, VARBINARY, BLOB; charset 63) and GEOMETRY → base64;
 * - JSON → its JSON text as a string (MariaDB stores JSON as LONGTEXT anyway);
 * - everything else (CHAR, VARCHAR, TEXT, ENUM, SET) → string.
 */

/** mysql2's column definition, the part used here. */
export interface MysqlField {
  name: string;
  columnType: number;
  characterSet: number;
  flags: number;
  /** Database, table and column the value is taken from ('' for an expression). */
  schema: string;
  orgTable: string;
  orgName: string;
  /** Maximum length in bytes (tells TINYTEXT from TEXT, MEDIUMTEXT, LONGTEXT: all are sent as BLOB). */
  columnLength: number;
  /** MariaDB extended metadata: the real type of UUID, INET4, INET6, … and the JSON format. */
  extendedTypeName: string;
  extendedFormat: string;
}

const BINARY_CHARSET = 63;
const UNSIGNED_FLAG = 32;
const ENUM_FLAG = 256;
const SET_FLAG = 2048;

const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'decimal'], [1, 'tinyint'], [2, 'smallint'], [3, 'int'], [4, 'float'], [5, 'double'], [6, 'null'],
  [7, 'timestamp'], [8, 'bigint'], [9, 'mediumint'], [10, 'date'], [11, 'time'], [12, 'datetime'], [13, 'year'],
  [14, 'date'], [15, 'varchar'], [16, 'bit'], [17, 'timestamp'], [18, 'datetime'], [19, 'time'], [245, 'json'],
  [246, 'decimal'], [247, 'enum'], [248, 'set'], [249, 'tinyblob'], [250, 'mediumblob'], [251, 'longblob'],
  [252, 'blob'], [253, 'varchar'], [254, 'char'], [255, 'geometry'],
]);

const NUMERIC_TYPES = new Set([0, 1, 2, 3, 4, 5, 8, 9, 246]);
const BLOB_TYPES = new Set([249, 250, 251, 252]);

/** The size prefix of a BLOB/TEXT column from its length in bytes (whatever the character set). */
function blobSize(length: number): string {
  if (length <= 255 * 4) return 'tiny';
  if (length <= 65_535 * 4) return '';
  if (length <= 16_777_215 * 4) return 'medium';
  return 'long';
}

/**
 * Lower-case column type as MySQL names it, e.g. int, bigint unsigned, varchar, varbinary, text, longtext, blob,
 * enum, json; on MariaDB also uuid, inet4, inet6 (from its extended metadata).
 */
export function mysqlTypeName(field: MysqlField): string {
  const binary = field.characterSet === BINARY_CHARSET;
  let name: string;
  if (field.extendedFormat === 'json') name = 'json';
  else if (field.extendedTypeName !== '') name = field.extendedTypeName;
  else if (field.columnType === 254 && (field.flags & ENUM_FLAG) !== 0) name = 'enum';
  else if (field.columnType === 254 && (field.flags & SET_FLAG) !== 0) name = 'set';
  else if (field.columnType === 254) name = binary ? 'binary' : 'char';
  else if (field.columnType === 253 || field.columnType === 15) name = binary ? 'varbinary' : 'varchar';
  else if (BLOB_TYPES.has(field.columnType)) name = `${blobSize(field.columnLength)}${binary ? 'blob' : 'text'}`;
  else name = TYPE_NAMES.get(field.columnType) ?? `type ${field.columnType}`;
  if (NUMERIC_TYPES.has(field.columnType) && (field.flags & UNSIGNED_FLAG) !== 0) name += ' unsigned';
  return name;
}

const FLOAT = 4;
const TIMESTAMP_TYPES = new Set([7, 12, 17, 18]);
const BIT = 16;

/** Converts one value as mysql2 produced it (see the options above) to a JSON-safe primitive. */
export function fromMysqlValue(field: MysqlField | undefined, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const type = field?.columnType;
  if (typeof value === 'string') {
    return type !== undefined && TIMESTAMP_TYPES.has(type) ? localTimestampToIso(value) : value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    return type === FLOAT ? shortestFloat32(value) : value;
  }
  if (Buffer.isBuffer(value)) {
    if (type === BIT) return bitsToNumber(value);
    return value.toString('base64');
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  return JSON.stringify(value);
}

function localTimestampToIso(text: string): string {
  return /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(text) && !text.startsWith('0000-00-00') ? text.replace(' ', 'T') : text;
}

/** The shortest decimal that reads back as the same 32-bit float. */
function shortestFloat32(value: number): number {
  const single = Math.fround(value);
  for (let digits = 1; digits <= 9; digits += 1) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return candidate;
  }
  return single;
}

function bitsToNumber(bytes: Buffer): number | string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

/**
 * A bind parameter as mysql2's prepared-statement protocol takes it: null, string, number, boolean, Date or
 * Buffer. bigint goes as its decimal text; arrays and objects as JSON text.
 */
export function toMysqlParam(value: unknown): string | number | boolean | Date | Buffer | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    default:
      break;
  }
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof Date) return value;
  return JSON.stringify(value);
}

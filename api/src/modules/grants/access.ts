/**
 * The effective access of one person to one datasource: the most permissive union of the grants that apply to
 * them (their own and their groups'), ignoring expired ones (FEATURES C2).
 */
import type { DB_TYPES } from '../datasources/datasource.entity.ts';
import type { Grant } from './grant.entity.ts';

/**
 * How names in grants compare with the names a statement uses. PostgreSQL folds an unquoted identifier to lower case
 * and keeps a quoted one exactly, so `"Public".t` is another schema than `public.t`: grant names are read by the
 * same rule and compared exactly, never case-insensitively (which would let `"Public"` pass a grant for `public`).
 * MySQL and MariaDB names are compared in lower case, as the classifier reports them.
 */
export type NameRule = 'POSTGRESQL' | 'LOWER_CASE';

export const nameRuleOf = (dbType: (typeof DB_TYPES)[number]): NameRule => (dbType === 'POSTGRESQL' ? 'POSTGRESQL' : 'LOWER_CASE');

export interface EffectiveAccess {
  nameRule: NameRule;
  canRead: boolean;
  canWrite: boolean;
  canDdl: boolean;
  canBreakGlass: boolean;
  /** null = unrestricted; else the names as `nameKey` makes them. */
  allowedSchemas: Set<string> | null;
  allowedTables: Set<string> | null;
  /** Restricted only when every applying grant restricts the column. */
  restrictedColumns: Set<string>;
  /** null = the datasource's cap. */
  maxRows: number | null;
  grantIds: string[];
  /** When the earliest of the applying grants expires, and this access with it; null = no expiry. */
  changesAt: Date | null;
}

export const NO_ACCESS: EffectiveAccess = {
  nameRule: 'POSTGRESQL',
  canRead: false,
  canWrite: false,
  canDdl: false,
  canBreakGlass: false,
  allowedSchemas: new Set(),
  allowedTables: new Set(),
  restrictedColumns: new Set(),
  maxRows: null,
  grantIds: [],
  changesAt: null,
};

export function combineGrants(grants: readonly Grant[], nameRule: NameRule, now = new Date()): EffectiveAccess {
  const live = grants.filter((g) => !g.expiresAt || g.expiresAt > now);
  if (live.length === 0) return { ...NO_ACCESS, nameRule };
  const unionOrAll = (lists: (string[] | null | undefined)[]) =>
    lists.some((list) => list === null || list === undefined) ? null : new Set(lists.flatMap((list) => list!.map((v) => nameKey(v, nameRule))));
  const restricted = live.map((g) => new Set(g.restrictedColumns.map((c) => c.toLowerCase())));
  return {
    nameRule,
    canRead: live.some((g) => g.canRead),
    canWrite: live.some((g) => g.canWrite),
    canDdl: live.some((g) => g.canDdl),
    canBreakGlass: live.some((g) => g.canBreakGlass),
    allowedSchemas: unionOrAll(live.map((g) => g.allowedSchemas)),
    allowedTables: unionOrAll(live.map((g) => g.allowedTables)),
    restrictedColumns: new Set([...restricted[0]!].filter((column) => restricted.every((set) => set.has(column)))),
    maxRows: live.some((g) => g.maxRows === null || g.maxRows === undefined) ? null : Math.max(...live.map((g) => g.maxRows!)),
    grantIds: live.map((g) => g.id),
    changesAt: live.reduce<Date | null>((earliest, g) => (g.expiresAt && (!earliest || g.expiresAt < earliest) ? g.expiresAt : earliest), null),
  };
}

/** Separates the parts of a key: no identifier can contain NUL, so `"a.b"` (one name) and `a.b` never meet. */
const PART = '\u0000';

/**
 * A name as written in a grant (`schema`, `table` or `schema.table`) → the key it is compared under. PostgreSQL:
 * split at dots outside double quotes; a quoted part is kept as written (`""` → `"`), an unquoted one folded to lower
 * case the way the server folds it (ASCII letters only). MySQL/MariaDB: split at dots, lower case.
 */
export function nameKey(written: string, nameRule: NameRule): string {
  const text = written.trim();
  if (nameRule === 'LOWER_CASE') return text.toLowerCase().split('.').join(PART);
  const parts: string[] = [];
  let part = '';
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (char === '"') {
      const close = closingQuote(text, i);
      part += text.slice(i + 1, close).replaceAll('""', '"');
      i = close;
    } else if (char === '.') {
      parts.push(part);
      part = '';
    } else {
      part += char >= 'A' && char <= 'Z' ? char.toLowerCase() : char;
    }
  }
  parts.push(part);
  return parts.join(PART);
}

/** The index of the quote that closes the quoted identifier opened at `open` (the end of the text if none does). */
function closingQuote(text: string, open: number): number {
  let i = open + 1;
  while (i < text.length) {
    if (text[i] === '"') {
      if (text[i + 1] !== '"') return i;
      i += 2;
    } else {
      i += 1;
    }
  }
  return text.length;
}

/**
 * Whether a referenced table (schema may be null when unqualified) is inside the allowed schemas and tables. The
 * reference's names are as the classifier reports them: PostgreSQL's already folded, MySQL's in lower case.
 */
export function tableAllowed(access: EffectiveAccess, table: { schema: string | null; name: string }, defaultSchema: string | null): boolean {
  const exact = access.nameRule === 'POSTGRESQL';
  const given = table.schema ?? defaultSchema;
  const schema = given === null || exact ? given : given.toLowerCase();
  if (access.allowedSchemas && (schema === null || !access.allowedSchemas.has(schema))) return false;
  if (!access.allowedTables) return true;
  // A bare allowed name matches only an unqualified reference; a qualified one matches its schema.
  const name = exact ? table.name : table.name.toLowerCase();
  return table.schema === null ? access.allowedTables.has(name) : access.allowedTables.has(`${schema}${PART}${name}`);
}

/**
 * The effective access of one person to one datasource: the most permissive union of the grants that apply to
 * them (their own and their groups'), ignoring expired ones (FEATURES C2).
 */
import type { DB_TYPES } from '../datasources/datasource.entity.ts';
import type { Grant } from './grant.entity.ts';

/**
 * How names in grants compare with the names a statement uses: always exactly, never case-insensitively (which would
 * let `"Public".t` pass a grant for `public`, another schema). PostgreSQL folds an unquoted identifier to lower case
 * and keeps a quoted one, and grant names are read by the same rule. MySQL and MariaDB names are compared as written
 * (backticks removed): a case-sensitive server (lower_case_table_names = 0, Linux's default) tells `Shop` from `shop`,
 * and the grant cannot know which kind of server it is, so `SHOP.t` needs a grant that says `SHOP`.
 */
export type NameRule = 'POSTGRESQL' | 'AS_WRITTEN';

export const nameRuleOf = (dbType: (typeof DB_TYPES)[number]): NameRule => (dbType === 'POSTGRESQL' ? 'POSTGRESQL' : 'AS_WRITTEN');

export interface EffectiveAccess {
  canRead: boolean;
  canWrite: boolean;
  canDdl: boolean;
  canBreakGlass: boolean;
  /** null = unrestricted; else the names as `nameParts` reads them. */
  allowedSchemas: Set<string> | null;
  allowedTables: AllowedTables | null;
  /** Restricted only when every applying grant restricts the column. */
  restrictedColumns: Set<string>;
  /** null = the datasource's cap. */
  maxRows: number | null;
  grantIds: string[];
  /** When the earliest of the applying grants expires, and this access with it; null = no expiry. */
  changesAt: Date | null;
}

/** Allowed tables by how they were named: bare (`orders`, an unqualified reference) or in a schema (`sales.orders`). */
export interface AllowedTables {
  bare: Set<string>;
  inSchema: Map<string, Set<string>>;
}

export const NO_ACCESS: EffectiveAccess = {
  canRead: false,
  canWrite: false,
  canDdl: false,
  canBreakGlass: false,
  allowedSchemas: new Set(),
  allowedTables: { bare: new Set(), inSchema: new Map() },
  restrictedColumns: new Set(),
  maxRows: null,
  grantIds: [],
  changesAt: null,
};

export function combineGrants(grants: readonly Grant[], nameRule: NameRule, now = new Date()): EffectiveAccess {
  const live = grants.filter((g) => !g.expiresAt || g.expiresAt > now);
  if (live.length === 0) return NO_ACCESS;
  const unrestricted = (lists: (string[] | null | undefined)[]) => lists.some((list) => list === null || list === undefined);
  const schemaLists = live.map((g) => g.allowedSchemas);
  const tableLists = live.map((g) => g.allowedTables);
  const restricted = live.map((g) => new Set(g.restrictedColumns.map((c) => c.toLowerCase())));
  return {
    canRead: live.some((g) => g.canRead),
    canWrite: live.some((g) => g.canWrite),
    canDdl: live.some((g) => g.canDdl),
    canBreakGlass: live.some((g) => g.canBreakGlass),
    allowedSchemas: unrestricted(schemaLists) ? null : schemasOf(schemaLists.flat() as string[], nameRule),
    allowedTables: unrestricted(tableLists) ? null : tablesOf(tableLists.flat() as string[], nameRule),
    restrictedColumns: new Set([...restricted[0]!].filter((column) => restricted.every((set) => set.has(column)))),
    maxRows: live.some((g) => g.maxRows === null || g.maxRows === undefined) ? null : Math.max(...live.map((g) => g.maxRows!)),
    grantIds: live.map((g) => g.id),
    changesAt: live.reduce<Date | null>((earliest, g) => (g.expiresAt && (!earliest || g.expiresAt < earliest) ? g.expiresAt : earliest), null),
  };
}

/** Schema names as written in grants → the names they allow (a written name with a dot allows nothing). */
function schemasOf(written: string[], nameRule: NameRule): Set<string> {
  const schemas = new Set<string>();
  for (const parts of written.map((name) => nameParts(name, nameRule))) if (parts.length === 1) schemas.add(parts[0]!);
  return schemas;
}

/** Table names as written in grants (`table` or `schema.table`) → the tables they allow. */
function tablesOf(written: string[], nameRule: NameRule): AllowedTables {
  const allowed: AllowedTables = { bare: new Set(), inSchema: new Map() };
  for (const parts of written.map((name) => nameParts(name, nameRule))) {
    if (parts.length === 1) allowed.bare.add(parts[0]!);
    else if (parts.length === 2) {
      const [schema, table] = parts as [string, string];
      const tables = allowed.inSchema.get(schema) ?? new Set<string>();
      tables.add(table);
      allowed.inSchema.set(schema, tables);
    }
  }
  return allowed;
}

/**
 * A name as written in a grant (`schema`, `table` or `schema.table`) → its parts as the server reads them: split at
 * dots outside quotes, a quoted part kept as written (a doubled quote is one). PostgreSQL quotes with `"` and folds an
 * unquoted part to lower case the way the server does (ASCII letters only); MySQL/MariaDB quote with a backtick and
 * keep every part as written.
 */
export function nameParts(written: string, nameRule: NameRule): string[] {
  const text = written.trim();
  const quote = nameRule === 'POSTGRESQL' ? '"' : '`';
  const parts: string[] = [];
  let part = '';
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (char === quote) {
      const close = closingQuote(text, i, quote);
      part += text.slice(i + 1, close).replaceAll(quote + quote, quote);
      i = close;
    } else if (char === '.') {
      parts.push(part);
      part = '';
    } else {
      part += nameRule === 'POSTGRESQL' && char >= 'A' && char <= 'Z' ? char.toLowerCase() : char;
    }
  }
  parts.push(part);
  return parts;
}

/** The index of the quote that closes the quoted identifier opened at `open` (the end of the text if none does). */
function closingQuote(text: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] !== quote) return i;
      i += 2;
    } else {
      i += 1;
    }
  }
  return text.length;
}

/**
 * Whether a referenced table (schema may be null when unqualified) is inside the allowed schemas and tables. The
 * reference is as written (`Classification.writtenTables`; PostgreSQL's names already folded by the parser) and is
 * compared exactly.
 */
export function tableAllowed(access: EffectiveAccess, table: { schema: string | null; name: string }, defaultSchema: string | null): boolean {
  const schema = table.schema ?? defaultSchema;
  if (access.allowedSchemas && (schema === null || !access.allowedSchemas.has(schema))) return false;
  if (!access.allowedTables) return true;
  // A bare allowed name matches only an unqualified reference; a qualified one matches its schema.
  return table.schema === null ? access.allowedTables.bare.has(table.name) : access.allowedTables.inSchema.get(table.schema)?.has(table.name) === true;
}

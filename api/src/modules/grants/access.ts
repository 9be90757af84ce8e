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
  nameRule: 'POSTGRESQL',
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
  if (live.length === 0) return { ...NO_ACCESS, nameRule };
  const unrestricted = (lists: (string[] | null | undefined)[]) => lists.some((list) => list === null || list === undefined);
  const schemaLists = live.map((g) => g.allowedSchemas);
  const tableLists = live.map((g) => g.allowedTables);
  const restricted = live.map((g) => new Set(g.restrictedColumns.map((c) => c.toLowerCase())));
  return {
    nameRule,
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
 * A name as written in a grant (`schema`, `table` or `schema.table`) → its parts as the server reads them.
 * PostgreSQL: split at dots outside double quotes; a quoted part is kept as written (`""` → `"`), an unquoted one
 * folded to lower case the way the server folds it (ASCII letters only). MySQL/MariaDB: split at dots, lower case.
 */
export function nameParts(written: string, nameRule: NameRule): string[] {
  const text = written.trim();
  if (nameRule === 'LOWER_CASE') return text.toLowerCase().split('.');
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
  return parts;
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
  return table.schema === null ? access.allowedTables.bare.has(name) : access.allowedTables.inSchema.get(schema!)?.has(name) === true;
}

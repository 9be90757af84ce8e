/**
 * The effective access of one person to one datasource: the most permissive union of the grants that apply to
 * them (their own and their groups'), ignoring expired ones (FEATURES C2).
 */
import type { Grant } from './grant.entity.ts';

export interface EffectiveAccess {
  canRead: boolean;
  canWrite: boolean;
  canDdl: boolean;
  canBreakGlass: boolean;
  /** null = unrestricted. */
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

export function combineGrants(grants: readonly Grant[], now = new Date()): EffectiveAccess {
  const live = grants.filter((g) => !g.expiresAt || g.expiresAt > now);
  if (live.length === 0) return NO_ACCESS;
  const unionOrAll = (lists: (string[] | null | undefined)[]) =>
    lists.some((list) => list === null || list === undefined) ? null : new Set(lists.flatMap((list) => list!.map((v) => v.toLowerCase())));
  const restricted = live.map((g) => new Set(g.restrictedColumns.map((c) => c.toLowerCase())));
  return {
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

/** Whether a referenced table (schema may be null when unqualified) is inside the allowed schemas and tables. */
export function tableAllowed(access: EffectiveAccess, table: { schema: string | null; name: string }, defaultSchema: string | null): boolean {
  const schema = (table.schema ?? defaultSchema)?.toLowerCase() ?? null;
  const name = table.name.toLowerCase();
  if (access.allowedSchemas && (schema === null || !access.allowedSchemas.has(schema))) return false;
  if (!access.allowedTables) return true;
  // A bare allowed name matches only an unqualified reference; a qualified one matches its schema.
  return table.schema === null ? access.allowedTables.has(name) : access.allowedTables.has(`${table.schema.toLowerCase()}.${name}`);
}

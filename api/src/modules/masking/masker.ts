/**
 * Masking a whole query result (FEATURES C7): decide once which rule applies to each result column
 * (`planMasking`), then mask every row with per-column functions compiled once (`applyMasking`).
 * Pure functions: no database, no GraphQL.
 */
import { compileMasker, type MaskingStrategy, type ValueMasker } from './strategies.ts';

export interface MaskRule {
  /** The masking policy's id, or `null` for a column the grant restricts ("never show"). */
  policyId: string | null;
  /** `schema.table.column`, `table.column` or `column`, compared case-insensitively. */
  columnRef: string;
  strategy: MaskingStrategy;
  params: Record<string, string>;
}

export interface ResultColumnSource {
  /** The result column's name as the database reports it. */
  name: string;
  /** The table the column comes from, when known (not for expressions). */
  table: { schema: string | null; name: string } | null;
}

/** Lower case, identifier quotes removed, blanks around dots removed: `"Public". "Users"."SSN"` → `public.users.ssn`. */
export function normalizeColumnRef(ref: string): string {
  return ref
    .trim()
    .replace(/["`]/g, '')
    .replace(/\s*\.\s*/g, '.')
    .toLowerCase();
}

/** Whether a column ref may name a column of one of `tables` (a bare `column` ref may name any). */
export function columnRefTouches(ref: string, tables: readonly { name: string }[]): boolean {
  const parts = normalizeColumnRef(ref).split('.');
  if (parts.length === 1) return true;
  const table = parts.at(-2)!;
  return tables.some((t) => t.name.toLowerCase() === table);
}

/** The refs a result column answers to, most specific first: `schema.table.column`, `table.column`, `column`. */
function refsOf(column: ResultColumnSource): string[] {
  const name = normalizeColumnRef(column.name);
  if (!column.table) return [name];
  const table = normalizeColumnRef(column.table.name);
  const refs: string[] = [];
  if (column.table.schema) refs.push(`${normalizeColumnRef(column.table.schema)}.${table}.${name}`);
  refs.push(`${table}.${name}`, name);
  return refs;
}

/**
 * For each result column, the rule that masks it, or `null`.
 *
 * - A restricted-column rule (`policyId: null`, the grant saying "never show") that matches the column at any
 *   level of specificity wins over every masking policy.
 * - Otherwise the first policy by precedence `schema.table.column` → `table.column` → `column`; among several
 *   rules with the same ref, the first in `rules` order.
 * - A column whose source table is unknown only matches bare `column` rules.
 */
export function planMasking(columns: ResultColumnSource[], rules: MaskRule[]): (MaskRule | null)[] {
  const byRef = new Map<string, MaskRule[]>();
  for (const rule of rules) {
    const ref = normalizeColumnRef(rule.columnRef);
    const list = byRef.get(ref);
    if (list) list.push(rule);
    else byRef.set(ref, [rule]);
  }
  return columns.map((column) => {
    const candidates = refsOf(column).flatMap((ref) => byRef.get(ref) ?? []);
    return candidates.find((rule) => rule.policyId === null) ?? candidates[0] ?? null;
  });
}

export interface MaskedResult {
  rows: unknown[][];
  /** Distinct policy ids (in column order) of the policies that masked at least one result column. */
  appliedPolicyIds: string[];
}

/**
 * Masks `rows` (each with one cell per entry of `plan`) into new arrays; the input is never mutated.
 * Unmasked cells are copied as they are; in masked columns NULL stays `null` and everything else becomes a string.
 * A policy counts as applied when it is planned for a column, even if there are no rows.
 * Throws when a row's width differs from the plan's, rather than risk leaving a column unmasked.
 */
export function applyMasking(rows: unknown[][], plan: (MaskRule | null)[], hashKey: Buffer): MaskedResult {
  const width = plan.length;
  const maskedIndexes: number[] = [];
  const maskers: ValueMasker[] = [];
  const compiled = new Map<MaskRule, ValueMasker>();
  const applied = new Set<string>();
  for (let i = 0; i < width; i++) {
    const rule = plan[i];
    if (!rule) continue;
    let masker = compiled.get(rule);
    if (!masker) {
      masker = compileMasker(rule.strategy, rule.params, hashKey);
      compiled.set(rule, masker);
    }
    maskedIndexes.push(i);
    maskers.push(masker);
    if (rule.policyId !== null) applied.add(rule.policyId);
  }

  const count = rows.length;
  const maskedCount = maskedIndexes.length;
  const out: unknown[][] = new Array<unknown[]>(count);
  for (let r = 0; r < count; r++) {
    const row = rows[r]!;
    if (row.length !== width) throw new RangeError(`row ${r} has ${row.length} cells but the masking plan has ${width} columns`);
    const copy = row.slice();
    for (let k = 0; k < maskedCount; k++) {
      const i = maskedIndexes[k]!;
      copy[i] = maskers[k]!(copy[i]);
    }
    out[r] = copy;
  }
  return { rows: out, appliedPolicyIds: [...applied] };
}

/**
 * Masking one execution's rows for the person who ran it: the grant's restricted columns (always `***`) and
 * the masking policies not revealed to them. A result column is matched through the table and column it comes
 * from when the engine reports it (so an alias does not unmask it); a computed column over a table that has
 * any masking rule is masked in full, because its value may be derived from a masked column. A view hides the
 * tables it reads, so those count as read too (as reported by the engine), and a column of a view is treated as
 * computed; when what a view reads is unknown, every computed column is masked in full if any rule applies. So it
 * is for a statement that calls a function not known to be side-effect free (a user's function may read any table).
 */
import type { ExecutionResult } from '../../engines/engine.ts';
import type { Classification } from '../../engines/sql/classification.ts';
import type { EffectiveAccess } from '../grants/access.ts';
import { applyMasking, columnRefTouches, planMasking, type MaskRule, type ResultColumnSource } from '../masking/masker.ts';
import type { MaskingPolicy } from '../masking/masking-policy.entity.ts';

export interface MaskedRows {
  rows: unknown[][];
  appliedPolicyIds: string[];
  /** Result column names that were masked, for the audit log. */
  maskedColumns: string[];
}

const DERIVED: MaskRule = { policyId: null, columnRef: '*', strategy: 'FULL', params: {} };

export function maskResult(
  result: ExecutionResult,
  classification: Classification,
  access: EffectiveAccess,
  policies: MaskingPolicy[],
  hashKey: Buffer,
): MaskedRows {
  const rules: MaskRule[] = [
    ...[...access.restrictedColumns].map((columnRef) => ({ policyId: null, columnRef, strategy: 'FULL' as const, params: {} })),
    ...policies.map((p) => ({ policyId: p.id, columnRef: p.columnRef, strategy: p.strategy, params: p.strategyParams })),
  ];
  if (rules.length === 0) return { rows: result.rows, appliedPolicyIds: [], maskedColumns: [] };

  const tables = classification.tables;
  const behind = result.behindViews;
  const read = behind === undefined ? tables : behind.relations === null ? null : [...tables, ...behind.relations];
  // A function of unknown effect may read any table.
  const opaque = read === null || classification.opaqueCalls.length > 0;
  const ruleTouchesQuery = opaque || rules.some((rule) => columnRefTouches(rule.columnRef, read));
  const isView = (source: { schema: string | null; table: string }) =>
    behind?.views.some((view) => view.name === source.table && (source.schema === null || view.schema === source.schema)) ?? false;

  const plan = result.columns.map((column) => {
    if (column.source === null || (column.source && isView(column.source))) return ruleTouchesQuery ? DERIVED : null;
    // Sources to try: the engine's, else every table the statement reads (fail closed: a match on any masks).
    const sources: ResultColumnSource[] = column.source
      ? [{ name: column.source.column, table: { schema: column.source.schema, name: column.source.table } }]
      : [...tables.map((table) => ({ name: column.name, table })), { name: column.name, table: null }];
    const candidates = planMasking(sources, rules).filter((rule): rule is MaskRule => rule !== null);
    return candidates.find((rule) => rule.policyId === null) ?? candidates[0] ?? null;
  });
  const masked = applyMasking(result.rows, plan, hashKey);
  return {
    rows: masked.rows,
    appliedPolicyIds: masked.appliedPolicyIds,
    maskedColumns: result.columns.filter((_, i) => plan[i] !== null).map((c) => c.name),
  };
}

/** Risk of a classified statement for its submitter: the built-in rule analyzer (no AI provider needed). */
import type { Classification } from '../../engines/sql/classification.ts';
import type { EffectiveAccess } from '../grants/access.ts';
import { analyzeWithRules, type RiskAnalysis } from '../risk/rule-analyzer.ts';

export function analyzeRisk(classification: Classification, sql: string, access: EffectiveAccess): RiskAnalysis {
  const tables = new Set(classification.tables.map((t) => t.name.toLowerCase()));
  const restrictedColumnsTouched = [...access.restrictedColumns].filter((ref) => {
    const parts = ref.split('.');
    return parts.length === 1 || tables.has(parts.at(-2)!);
  });
  return analyzeWithRules(classification, {
    sql,
    // Data classification tags (FEATURES C9) are not stored yet; the rules still see restricted columns.
    classifiedTables: new Map(),
    classifiedColumns: new Set(),
    restrictedColumnsTouched,
  });
}

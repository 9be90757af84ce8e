/** Risk of a classified statement for its submitter: the built-in rule analyzer (no AI provider needed). */
import type { Classification } from '../../engines/sql/classification.ts';
import type { Classified } from '../classification/classification-tag.service.ts';
import type { EffectiveAccess } from '../grants/access.ts';
import { columnRefTouches } from '../masking/masker.ts';
import { analyzeWithRules, type RiskAnalysis } from '../risk/rule-analyzer.ts';

export function analyzeRisk(classification: Classification, sql: string, access: EffectiveAccess, classified: Classified): RiskAnalysis {
  const restrictedColumnsTouched = [...access.restrictedColumns].filter((ref) => columnRefTouches(ref, classification.tables));
  return analyzeWithRules(classification, {
    sql,
    classifiedTables: classified.tables,
    classifiedColumns: classified.columns,
    restrictedColumnsTouched,
  });
}

/**
 * Review of SQL without submitting it (the CI `sql-review` path): a script is split into statements by the
 * engine's own parser, and each one is classified, admitted or refused, and risk-scored exactly as `submitQuery`
 * would do it for the caller. Nothing is stored and nothing runs, so nothing is audited.
 */
import { DomainError, NotFoundError } from '../../errors.ts';
import type { Actor } from '../../graphql/context.ts';
import type { Store } from '../../store/store.ts';
import type { ClassificationTagService } from '../classification/classification-tag.service.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import type { GrantService } from '../grants/grant.service.ts';
import { groupIdsOf } from '../groups/memberships.ts';
import type { RiskIssue } from '../risk/rule-analyzer.ts';
import { accessOf, assertAllowed, assertRoleMay } from './admission.ts';
import { classify, QueryRejectedError, splitScript, type Classification } from './classify.ts';
import type { RiskLevel } from '../review/review-plan.entity.ts';
import { analyzeRisk } from './risk.ts';

export interface AnalyzedStatement {
  /** 1-based lines of the script the statement spans. */
  startLine: number;
  endLine: number;
  text: string;
  classification: Classification | null;
  /** Set when the statement would be refused before review (unparseable, unsafe, several statements …). */
  rejection: { reason: string; message: string } | null;
  /** Whether the caller's role and grants would admit it; the reason when not. */
  allowed: boolean;
  deniedReason: string | null;
  riskScore: number | null;
  riskLevel: RiskLevel | null;
  riskIssues: RiskIssue[];
}

export class SqlAnalysisService {
  private readonly store: Store;
  private readonly grants: GrantService;
  private readonly classificationTags: ClassificationTagService;

  constructor(deps: { store: Store; grants: GrantService; classificationTags: ClassificationTagService }) {
    this.store = deps.store;
    this.grants = deps.grants;
    this.classificationTags = deps.classificationTags;
  }

  async analyze(actor: Actor, input: { datasourceId: string; sql: string }): Promise<AnalyzedStatement[]> {
    return this.store.tenant(actor.orgId, async (em) => {
      const datasource = await em.findOne(DatasourceEntity, { id: input.datasourceId });
      if (!datasource) throw new NotFoundError('Datasource', input.datasourceId);
      const access = await accessOf(this.grants, em, actor, await groupIdsOf(em, actor.userId), datasource);
      const classified = await this.classificationTags.classifiedOf(em, datasource.id);
      const lineOf = lineIndex(input.sql);
      const statements = (await splitScript(datasource.dbType, input.sql)).filter((s) => !s.transactionControl);
      const analyzed: AnalyzedStatement[] = [];
      for (const statement of statements) {
        const base = { startLine: lineOf(statement.start), endLine: lineOf(Math.max(statement.start, statement.end - 1)), text: statement.text };
        let classification: Classification;
        try {
          classification = await classify(datasource.dbType, statement.text);
        } catch (error) {
          if (!(error instanceof QueryRejectedError)) throw error;
          analyzed.push({
            ...base,
            classification: null,
            rejection: { reason: error.reason, message: error.message },
            allowed: false,
            deniedReason: error.message,
            riskScore: null,
            riskLevel: null,
            riskIssues: [],
          });
          continue;
        }
        const denied = deniedReason(() => {
          assertRoleMay(actor.role, classification);
          assertAllowed(access, classification, datasource);
        });
        const risk = analyzeRisk(classification, statement.text, access, classified);
        analyzed.push({
          ...base,
          classification,
          rejection: null,
          allowed: denied === null,
          deniedReason: denied,
          riskScore: risk.score,
          riskLevel: risk.level,
          riskIssues: risk.issues,
        });
      }
      return analyzed;
    });
  }
}

function deniedReason(check: () => void): string | null {
  try {
    check();
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error.message;
    throw error;
  }
}

/** Maps a character offset to its 1-based line. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

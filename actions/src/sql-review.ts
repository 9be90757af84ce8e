/**
 * sql-review: classify and risk-score every statement of some SQL files with `analyzeSql` (nothing is
 * submitted), and turn the findings into annotations, a Markdown summary, SARIF 2.1.0 and a GitLab Code Quality
 * report. Plain logic, shared by the CLI and the Action.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { glob, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { retrying, unwrap, type ErrorResult, type GraphQLClient } from './client.ts';
import { CliError, EXIT, type ExitCode } from './errors.ts';
import { markdownTable } from './format.ts';
import { ANALYZE_SQL, SIMULATE_ROUTING, type AnalyzedStatement, type RoutingOutcome } from './operations.ts';

export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

export interface SqlReviewOptions {
  datasourceId: string;
  /** Paths or glob patterns, relative to `cwd`. */
  patterns: string[];
  /** Review only files changed since this git ref (`git diff <ref>...HEAD`). */
  baseRef?: string | undefined;
  /** Statements at or above this risk level block (`none`: risk alone never blocks). */
  failOnRisk: (typeof RISK_LEVELS)[number] | 'NONE';
  /** Ask `simulateRouting` what routing policies would decide for each statement (as a CI submission). */
  routing: boolean;
  cwd: string;
  connectRetrySeconds: number;
  signal: AbortSignal;
}

export type Severity = 'error' | 'warning' | 'notice';

export interface Finding {
  file: string;
  startLine: number;
  endLine: number;
  severity: Severity;
  /** A stable rule id: REJECTED, NOT_ALLOWED, ROUTING_<VERDICT> or RISK_<LEVEL>. */
  rule: string;
  message: string;
  /** Whether it makes the review fail. */
  blocking: boolean;
}

export interface ReviewedStatement extends AnalyzedStatement {
  /** null when routing was not asked, or the statement is refused before routing. */
  routing: RoutingOutcome | null;
}

export interface ReviewedFile {
  file: string;
  statements: ReviewedStatement[];
}

export interface SqlReviewOutcome {
  exitCode: ExitCode;
  message: string;
  files: ReviewedFile[];
  findings: Finding[];
  maxRiskLevel: string | null;
}

/** The files to review: the patterns' matches, narrowed to the change when a base ref is given. */
export async function filesToReview(options: Pick<SqlReviewOptions, 'patterns' | 'baseRef' | 'cwd'>): Promise<string[]> {
  const patterns = options.patterns.length ? options.patterns : ['**/*.sql'];
  const matched = new Set<string>();
  for (const pattern of patterns) {
    for await (const file of glob(pattern, { cwd: options.cwd, exclude: (name) => name === 'node_modules' || name === '.git' })) matched.add(file.replaceAll('\\', '/'));
  }
  if (!options.baseRef) return [...matched].sort();
  let changed: string;
  try {
    const { stdout } = await promisify(execFile)('git', ['diff', '--name-only', '--diff-filter=d', `${options.baseRef}...HEAD`], { cwd: options.cwd });
    changed = stdout;
  } catch (error) {
    throw new CliError(`cannot list the files changed since ${options.baseRef} (is the history fetched? actions/checkout needs fetch-depth: 0): ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`, EXIT.USAGE);
  }
  const inChange = new Set(changed.split('\n').filter(Boolean));
  return [...matched].filter((f) => inChange.has(f)).sort();
}

export async function reviewSql(client: GraphQLClient, options: SqlReviewOptions): Promise<SqlReviewOutcome> {
  const files = await filesToReview(options);
  const reviewed: ReviewedFile[] = [];
  for (const file of files) {
    const sql = await readFile(`${options.cwd}/${file}`, 'utf8');
    if (!sql.trim()) continue;
    const analysis = await retrying(async () => {
      const data = await client.request<{ analyzeSql: ErrorResult & { data?: { statements: AnalyzedStatement[] } } }>(
        ANALYZE_SQL,
        { input: { datasourceId: options.datasourceId, sql } },
        options.signal,
      );
      return unwrap(`analyzeSql ${file}`, data.analyzeSql);
    }, options.connectRetrySeconds * 1000, options.signal);
    const statements: ReviewedStatement[] = [];
    for (const statement of analysis.statements) {
      const simulate = options.routing && !statement.rejected && statement.allowed;
      statements.push({ ...statement, routing: simulate ? await simulateRouting(client, options, statement.text) : null });
    }
    reviewed.push({ file, statements });
  }
  const findings = reviewed.flatMap((r) => r.statements.flatMap((s) => findingsOf(r.file, s, options.failOnRisk)));
  const levels = reviewed.flatMap((r) => r.statements.map((s) => s.riskLevel)).filter((l): l is string => l !== null);
  const maxRiskLevel = levels.sort((a, b) => rank(b) - rank(a))[0] ?? null;
  const blocking = findings.filter((f) => f.blocking).length;
  const statements = reviewed.reduce((n, r) => n + r.statements.length, 0);
  const summary = `${statements} statement(s) in ${reviewed.length} file(s)${maxRiskLevel ? `, highest risk ${maxRiskLevel}` : ''}`;
  return blocking
    ? { exitCode: EXIT.DENIED, message: `${summary}: ${blocking} blocking finding(s)`, files: reviewed, findings, maxRiskLevel }
    : { exitCode: EXIT.OK, message: `${summary}: nothing blocking`, files: reviewed, findings, maxRiskLevel };
}

async function simulateRouting(client: GraphQLClient, options: SqlReviewOptions, query: string): Promise<RoutingOutcome> {
  return retrying(async () => {
    const data = await client.request<{ simulateRouting: ErrorResult & { data?: RoutingOutcome } }>(
      SIMULATE_ROUTING,
      { input: { datasourceId: options.datasourceId, query, cicdOrigin: true } },
      options.signal,
    );
    return unwrap('simulateRouting', data.simulateRouting);
  }, options.connectRetrySeconds * 1000, options.signal);
}

function rank(level: string | null): number {
  return level ? RISK_LEVELS.indexOf(level as (typeof RISK_LEVELS)[number]) : -1;
}

export function findingsOf(file: string, s: ReviewedStatement, failOnRisk: SqlReviewOptions['failOnRisk']): Finding[] {
  const at = { file, startLine: s.startLine, endLine: s.endLine };
  const findings: Finding[] = [];
  if (s.rejected) {
    findings.push({ ...at, severity: 'error', rule: 'REJECTED', blocking: true, message: `refused before review (${s.rejectionReason ?? 'unknown reason'}): ${s.message ?? ''}`.trim() });
  } else if (!s.allowed) {
    findings.push({ ...at, severity: 'error', rule: 'NOT_ALLOWED', blocking: true, message: `not allowed for this API key's identity: ${s.deniedReason ?? 'no reason given'}` });
  }
  const decision = s.routing?.decision;
  if (decision?.verdict === 'REJECT') {
    findings.push({ ...at, severity: 'error', rule: 'ROUTING_REJECT', blocking: true, message: `routing would reject it: ${decision.reason}` });
  } else if (decision) {
    const what = decision.verdict === 'APPROVE' ? 'approve it at once' : `send it to review${decision.requiredApprovals ? ` (${decision.action}, ${decision.requiredApprovals} approval(s))` : ''}`;
    findings.push({ ...at, severity: 'notice', rule: `ROUTING_${decision.verdict}`, blocking: false, message: `routing would ${what}: ${decision.reason}` });
  }
  if (s.riskLevel) {
    const blocking = failOnRisk !== 'NONE' && rank(s.riskLevel) >= rank(failOnRisk);
    const severity: Severity = blocking ? 'error' : rank(s.riskLevel) >= rank('HIGH') ? 'warning' : 'notice';
    if (blocking || rank(s.riskLevel) >= rank('MEDIUM') || s.riskIssues.length) {
      const issues = s.riskIssues.map((i) => `${i.code}: ${i.message}`).join('; ');
      findings.push({ ...at, severity, rule: `RISK_${s.riskLevel}`, blocking, message: `${s.queryType ?? 'statement'} risk ${s.riskLevel} (${s.riskScore ?? '?'})${issues ? `: ${issues}` : ''}` });
    }
  }
  return findings;
}

export function markdownSummary(outcome: SqlReviewOutcome): string {
  const rows = outcome.files.flatMap((f) =>
    f.statements.map((s) => [
      `${f.file}:${s.startLine}${s.endLine !== s.startLine ? `-${s.endLine}` : ''}`,
      s.queryType ?? '—',
      s.tables.join(', ') || '—',
      s.riskLevel ? `${s.riskLevel} (${s.riskScore ?? '?'})` : '—',
      s.rejected ? `refused: ${s.rejectionReason ?? ''}` : s.allowed ? 'allowed' : `denied: ${s.deniedReason ?? ''}`,
      s.riskIssues.map((i) => i.code).join(', ') || '—',
      s.routing?.decision ? `${s.routing.decision.verdict} by ${s.routing.decision.policyName}` : s.routing ? 'review plan' : '—',
    ]),
  );
  return [
    '## AccessFlow SQL review',
    '',
    outcome.message,
    '',
    rows.length ? markdownTable(['statement', 'type', 'tables', 'risk', 'verdict', 'issues', 'routing'], rows) : '_No SQL files to review._',
    '',
  ].join('\n');
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', notice: 'note' };

/** SARIF 2.1.0, one result per finding, for GitHub code scanning and other viewers. */
export function sarif(outcome: SqlReviewOutcome, toolVersion: string): object {
  const rules = [...new Set(outcome.findings.map((f) => f.rule))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'AccessFlow SQL review',
            version: toolVersion,
            rules: rules.map((id) => ({ id, shortDescription: { text: ruleText(id) } })),
          },
        },
        results: outcome.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: rules.indexOf(f.rule),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: f.file }, region: { startLine: f.startLine, endLine: f.endLine } } }],
          partialFingerprints: { accessflowFinding: fingerprint(f) },
        })),
      },
    ],
  };
}

function ruleText(id: string): string {
  if (id === 'REJECTED') return 'AccessFlow refuses this statement before any review';
  if (id === 'NOT_ALLOWED') return "The submitter's role and grants do not admit this statement";
  if (id.startsWith('ROUTING_')) return `A routing policy would ${id.replace('ROUTING_', '').toLowerCase()} this statement`;
  return `Risk level ${id.replace('RISK_', '')}`;
}

const CODE_QUALITY_SEVERITY: Record<Severity, string> = { error: 'critical', warning: 'major', notice: 'info' };

/** GitLab Code Quality (a CodeClimate subset): the merge request widget shows these per line. */
export function codeQuality(outcome: SqlReviewOutcome): object[] {
  return outcome.findings.map((f) => ({
    description: f.message,
    check_name: `accessflow/${f.rule}`,
    fingerprint: fingerprint(f),
    severity: f.blocking ? 'blocker' : CODE_QUALITY_SEVERITY[f.severity],
    location: { path: f.file, lines: { begin: f.startLine, end: f.endLine } },
  }));
}

function fingerprint(f: Finding): string {
  return createHash('sha256').update(`${f.file}\0${f.rule}\0${f.startLine}\0${f.message}`).digest('hex');
}

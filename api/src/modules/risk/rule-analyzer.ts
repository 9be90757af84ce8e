/**
 * The built-in, rule-based risk analyzer (FEATURES E1/E2), used when no AI provider is configured.
 * Pure and deterministic: the same classification and context always give the same analysis.
 *
 * Every rule's weight lives in `RISK_RULES` (and `TAG_WEIGHTS` for data classifications). A rule that fires
 * contributes `min(max, base + perExtra × (count − 1))`, where `count` is how many times it fired (statements,
 * tables, columns…); the score is the sum of contributions, clamped to 0–100. Levels: 0–24 LOW, 25–49 MEDIUM,
 * 50–79 HIGH, 80–100 CRITICAL.
 */

/** The statement kinds the SQL classifier reports. */
export type RuleStatementType = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'DDL';

export interface RuleTableRef {
  schema: string | null;
  name: string;
}

export interface RuleStatement {
  type: RuleStatementType;
  text: string;
  hasWhere: boolean;
  hasLimit: boolean;
  /** When the classifier reports it per statement: `false` on a SELECT means it locks rows or has side effects. */
  readOnly?: boolean;
}

/** The parts of the SQL classifier's output this analyzer reads (a structural copy, so it has no dependency on it). */
export interface RuleClassification {
  type: RuleStatementType;
  readOnly: boolean;
  hasWhere: boolean;
  hasLimit: boolean;
  transactional: boolean;
  tables: RuleTableRef[];
  statements: RuleStatement[];
}

export interface RuleContext {
  sql: string;
  /** `schema.table` or `table`, lower case → tags (PII, PCI, PHI, GDPR, FINANCIAL, SENSITIVE). */
  classifiedTables: ReadonlyMap<string, readonly string[]>;
  /** Lower-case refs (`schema.table.column`, `table.column` or `column`) of the datasource's classified columns. */
  classifiedColumns: ReadonlySet<string>;
  /** Columns the requester's grant restricts that the query touches. */
  restrictedColumnsTouched: readonly string[];
}

export type RiskLevel = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export type IssueSeverity = 'INFO' | 'WARNING' | 'CRITICAL';

export interface RiskIssue {
  code: string;
  severity: IssueSeverity;
  message: string;
  suggestion: string | null;
}

export interface RiskAnalysis {
  /** 0–100, an integer. */
  score: number;
  level: RiskLevel;
  issues: RiskIssue[];
  summary: string;
  analyzer: 'rules';
}

export type RiskRuleCode =
  | 'WRITE_WITHOUT_WHERE'
  | 'DDL_DESTRUCTIVE'
  | 'DDL_ALTER_DESTRUCTIVE'
  | 'DDL_SCHEMA_CHANGE'
  | 'WRITE'
  | 'RESTRICTED_COLUMN'
  | 'CLASSIFIED_TABLE'
  | 'CLASSIFIED_COLUMN'
  | 'LOCKING_READ'
  | 'MANY_TABLES'
  | 'MULTI_STATEMENT'
  | 'SELECT_STAR'
  | 'READ_WITHOUT_LIMIT';

export interface RiskRule {
  severity: IssueSeverity;
  /** Points for the first occurrence (for CLASSIFIED_TABLE: the heaviest tag's weight from `TAG_WEIGHTS`). */
  base: number;
  /** Points for each further occurrence. */
  perExtra: number;
  /** The most this rule can contribute. */
  max: number;
  /** A short name for the summary. */
  title: string;
  suggestion: string | null;
}

/** Every rule and its weight. The order here is the order issues of equal severity are listed in. */
export const RISK_RULES: Readonly<Record<RiskRuleCode, RiskRule>> = {
  // UPDATE/DELETE with no WHERE rewrites or empties a whole table. With WRITE (25) alone this reaches CRITICAL.
  WRITE_WITHOUT_WHERE: {
    severity: 'CRITICAL',
    base: 70,
    perExtra: 10,
    max: 90,
    title: 'UPDATE/DELETE without WHERE',
    suggestion: 'Add a WHERE clause that selects only the rows you mean to change, and check the affected row count first with a SELECT COUNT(*).',
  },
  // DROP / TRUNCATE destroy data irreversibly: CRITICAL on their own.
  DDL_DESTRUCTIVE: {
    severity: 'CRITICAL',
    base: 80,
    perExtra: 10,
    max: 100,
    title: 'DROP/TRUNCATE',
    suggestion: 'Make sure a recent backup exists; prefer renaming or archiving the object first, and drop it in a later change.',
  },
  // ALTER … DROP COLUMN / RENAME / type changes lose data or break readers: HIGH on their own.
  DDL_ALTER_DESTRUCTIVE: {
    severity: 'WARNING',
    base: 50,
    perExtra: 5,
    max: 65,
    title: 'destructive ALTER',
    suggestion: 'Check that no application still reads the dropped, renamed or retyped column; roll the change out in backward-compatible steps.',
  },
  // CREATE, ALTER … ADD, and other schema changes: MEDIUM on their own.
  DDL_SCHEMA_CHANGE: {
    severity: 'WARNING',
    base: 25,
    perExtra: 5,
    max: 40,
    title: 'schema change',
    suggestion: 'Check locking and run time on large tables (e.g. build indexes concurrently) and keep a rollback script.',
  },
  // Any data change: MEDIUM on its own.
  WRITE: {
    severity: 'INFO',
    base: 25,
    perExtra: 5,
    max: 40,
    title: 'data change',
    suggestion: null,
  },
  RESTRICTED_COLUMN: {
    severity: 'CRITICAL',
    base: 30,
    perExtra: 5,
    max: 45,
    title: 'restricted columns',
    suggestion: 'Remove the restricted columns from the query, or ask for a grant that covers them.',
  },
  // base comes from TAG_WEIGHTS (PCI/PHI heaviest); perExtra per further classified table.
  CLASSIFIED_TABLE: {
    severity: 'WARNING',
    base: 0,
    perExtra: 5,
    max: 45,
    title: 'classified tables',
    suggestion: 'Select only the columns you need and limit the rows; the result is subject to data-handling rules.',
  },
  CLASSIFIED_COLUMN: {
    severity: 'WARNING',
    base: 10,
    perExtra: 3,
    max: 25,
    title: 'classified columns',
    suggestion: 'Leave classified columns out unless the task needs them.',
  },
  // A SELECT that is not read-only: FOR UPDATE/SHARE locks, or side effects.
  LOCKING_READ: {
    severity: 'WARNING',
    base: 15,
    perExtra: 0,
    max: 15,
    title: 'locking read',
    suggestion: 'Drop FOR UPDATE/FOR SHARE unless you change the rows in the same transaction; locks block other writers.',
  },
  // From MANY_TABLES_THRESHOLD tables/joined relations on, plus perExtra per further table.
  MANY_TABLES: {
    severity: 'WARNING',
    base: 10,
    perExtra: 3,
    max: 25,
    title: 'many tables',
    suggestion: 'Check the join conditions (a missing one multiplies rows) and the query plan.',
  },
  // From 2 statements on, plus perExtra per further statement.
  MULTI_STATEMENT: {
    severity: 'INFO',
    base: 5,
    perExtra: 2,
    max: 20,
    title: 'multi-statement batch',
    suggestion: 'Review every statement; consider splitting unrelated changes into separate requests.',
  },
  SELECT_STAR: {
    severity: 'INFO',
    base: 5,
    perExtra: 0,
    max: 5,
    title: 'SELECT *',
    suggestion: 'List the columns you need; SELECT * also returns columns added later, including sensitive ones.',
  },
  READ_WITHOUT_LIMIT: {
    severity: 'INFO',
    base: 5,
    perExtra: 0,
    max: 5,
    title: 'read without LIMIT',
    suggestion: 'Add a LIMIT, or a WHERE clause that bounds the rows returned.',
  },
};

/** Weight of a classified table by its heaviest tag; PCI and PHI weigh most. Unknown tags weigh UNKNOWN_TAG_WEIGHT. */
export const TAG_WEIGHTS: Readonly<Record<string, number>> = {
  PCI: 30,
  PHI: 30,
  FINANCIAL: 20,
  PII: 15,
  GDPR: 15,
  SENSITIVE: 10,
};
const UNKNOWN_TAG_WEIGHT = 10;
/** MANY_TABLES fires from this many distinct tables (or joined relations) on. */
export const MANY_TABLES_THRESHOLD = 4;

const LEVEL_FLOORS: readonly (readonly [number, RiskLevel])[] = [
  [80, 'CRITICAL'],
  [50, 'HIGH'],
  [25, 'MEDIUM'],
  [0, 'LOW'],
];

export function levelForScore(score: number): RiskLevel {
  for (const [floor, level] of LEVEL_FLOORS) if (score >= floor) return level;
  return 'LOW';
}

/* ------------------------------------------------------------------------------------------------------------ */
/* SQL text helpers                                                                                              */
/* ------------------------------------------------------------------------------------------------------------ */

/**
 * The SQL with string literals replaced by `''` and comments by a space, so keyword regexes only see code.
 * Handles '…' (with '' escapes), E'…' (backslash escapes), $tag$…$tag$, -- and (nested) /* *\/ comments.
 * Quoted identifiers ("…", `…`) are kept. A heuristic, not a parser: good enough for advisory scoring.
 */
export function stripLiteralsAndComments(sql: string): string {
  let out = '';
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i + 2);
      out += ' ';
      i = end === -1 ? n : end;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      out += ' ';
    } else if (c === "'") {
      const backslashes = i > 0 && /[eE]/.test(sql[i - 1]!) && (i < 2 || !/[\w$]/.test(sql[i - 2]!));
      i++;
      while (i < n) {
        const ch = sql[i]!;
        if (backslashes && ch === '\\') i += 2;
        else if (ch === "'" && sql[i + 1] === "'") i += 2;
        else if (ch === "'") break;
        else i++;
      }
      i++;
      out += "''";
    } else if (c === '"' || c === '`') {
      const end = sql.indexOf(c, i + 1);
      const stop = end === -1 ? n : end + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '$' && (i === 0 || !/[\w$]/.test(sql[i - 1]!))) {
      const tag = /^\$(?:[A-Za-z_][\w]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? n : end + tag[0].length;
        out += "''";
      } else {
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const SELECT_STAR = /\bselect\s+(?:(?:distinct|all)\s+)?(?:top\s+\(?\s*\d+\s*\)?\s+)?\*/i;
const LIST_STAR = /,\s*\*/;
const QUALIFIED_STAR = /(?:[\p{L}_][\p{L}\p{N}_$]*|"(?:[^"]|"")+"|`[^`]+`)\s*\.\s*\*/u;
/** `EXISTS (SELECT * …)` is idiomatic and returns no columns. */
const EXISTS_STAR = /\bexists\s*\(\s*select\s+\*/gi;
const LOCKING_CLAUSE = /\bfor\s+(?:update|no\s+key\s+update|share|key\s+share)\b|\block\s+in\s+share\s+mode\b/i;
const DESTRUCTIVE_DDL = /^\s*(?:drop|truncate)\b/i;
const ALTER = /^\s*alter\b/i;
/** ALTER clauses that lose data or break readers: DROP (except DROP NOT NULL/DEFAULT/IDENTITY/EXPRESSION), RENAME, type changes. */
const DESTRUCTIVE_ALTER =
  /\bdrop\s+(?!not\s+null\b|default\b|identity\b|expression\b)|\brename\b|\balter\s+(?:column\s+)?[\p{L}\p{N}_$"`]+\s+(?:set\s+data\s+)?type\b|\bmodify\b|\bchange\s+(?:column\s+)?[\p{L}\p{N}_$"`]+\s+[\p{L}\p{N}_$"`]+\s+\w/iu;
/** A WHERE that filters nothing (`WHERE true`, `WHERE 1 = 1`, `WHERE 1`) is no WHERE at all. */
const TRIVIAL_WHERE = /\bwhere\s+(?:true|1|not\s+false|(\d+)\s*=\s*\1)\s*(?:$|;|\b(?:returning|limit|order)\b)/i;
const JOIN = /\bjoin\b/gi;
const IDENTIFIER = /"((?:[^"]|"")+)"|`([^`]+)`|([\p{L}_][\p{L}\p{N}_$]*)/gu;

function hasSelectStar(code: string): boolean {
  const text = code.replace(EXISTS_STAR, 'exists (select 1');
  return SELECT_STAR.test(text) || LIST_STAR.test(text) || QUALIFIED_STAR.test(text);
}

/** Lower-case identifiers (quoted ones unquoted) in SQL code. */
function identifiersOf(code: string): Set<string> {
  const ids = new Set<string>();
  for (const match of code.matchAll(IDENTIFIER)) {
    const id = match[1]?.replace(/""/g, '"') ?? match[2] ?? match[3] ?? '';
    ids.add(id.toLowerCase());
  }
  return ids;
}

const displayTable = (table: RuleTableRef): string => (table.schema ? `${table.schema}.${table.name}` : table.name);

/** Does `ref` (`schema.table` or `table`, lower case) name `table`? A table of unknown schema matches any schema. */
function tableMatches(ref: string, table: RuleTableRef): boolean {
  const name = table.name.toLowerCase();
  const dot = ref.lastIndexOf('.');
  if (dot === -1) return ref === name;
  if (ref.slice(dot + 1) !== name) return false;
  return table.schema === null || ref.slice(0, dot) === table.schema.toLowerCase();
}

function tagsOf(table: RuleTableRef, classifiedTables: ReadonlyMap<string, readonly string[]>): string[] {
  const name = table.name.toLowerCase();
  const tags = new Set<string>();
  const add = (list: readonly string[] | undefined): void => list?.forEach((tag) => tags.add(tag.toUpperCase()));
  if (table.schema) add(classifiedTables.get(`${table.schema.toLowerCase()}.${name}`));
  add(classifiedTables.get(name));
  // An unqualified table may live in any schema: count classifications of any same-named table (scores err high).
  if (!table.schema) for (const [ref, list] of classifiedTables) if (tableMatches(ref, table)) add(list);
  return [...tags].sort();
}

const tagWeight = (tag: string): number => TAG_WEIGHTS[tag] ?? UNKNOWN_TAG_WEIGHT;

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* The analyzer                                                                                                  */
/* ------------------------------------------------------------------------------------------------------------ */

interface Finding {
  code: RiskRuleCode;
  count: number;
  message: string;
  /** Overrides the rule's base weight (CLASSIFIED_TABLE). */
  base?: number;
}

const SEVERITY_RANK: Readonly<Record<IssueSeverity, number>> = { CRITICAL: 0, WARNING: 1, INFO: 2 };
const RULE_ORDER = new Map(Object.keys(RISK_RULES).map((code, index) => [code, index]));

export function analyzeWithRules(classification: RuleClassification, context: RuleContext): RiskAnalysis {
  const statements: RuleStatement[] =
    classification.statements.length > 0
      ? classification.statements
      : [{ type: classification.type, text: context.sql, hasWhere: classification.hasWhere, hasLimit: classification.hasLimit }];
  const code = stripLiteralsAndComments(context.sql);
  const findings: Finding[] = [];

  // Statement-level rules.
  let destructiveDdl = 0;
  let destructiveAlter = 0;
  let schemaChanges = 0;
  let writes = 0;
  const unfilteredWrites: string[] = [];
  let unboundedReads = 0;
  let lockingReads = 0;
  const destroyed: string[] = [];
  for (const statement of statements) {
    const text = stripLiteralsAndComments(statement.text);
    const keyword = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? statement.type;
    if (DESTRUCTIVE_DDL.test(text)) {
      destructiveDdl++;
      destroyed.push(keyword);
    } else if (statement.type === 'DDL') {
      if (ALTER.test(text) && DESTRUCTIVE_ALTER.test(text)) destructiveAlter++;
      else schemaChanges++;
    } else if (statement.type === 'SELECT') {
      if (!statement.hasLimit) unboundedReads++;
      if (statement.readOnly === false || LOCKING_CLAUSE.test(text)) lockingReads++;
    } else {
      writes++;
      if ((statement.type === 'UPDATE' || statement.type === 'DELETE') && (!statement.hasWhere || TRIVIAL_WHERE.test(text))) {
        unfilteredWrites.push(statement.type);
      }
    }
  }
  if (lockingReads === 0 && classification.type === 'SELECT' && !classification.readOnly) lockingReads = 1;

  if (unfilteredWrites.length > 0) {
    findings.push({
      code: 'WRITE_WITHOUT_WHERE',
      count: unfilteredWrites.length,
      message: `${[...new Set(unfilteredWrites)].join('/')} without a (restrictive) WHERE clause changes every row of the table${unfilteredWrites.length > 1 ? ` (${unfilteredWrites.length} statements)` : ''}.`,
    });
  }
  if (destructiveDdl > 0) {
    findings.push({
      code: 'DDL_DESTRUCTIVE',
      count: destructiveDdl,
      message: `${[...new Set(destroyed)].join('/')} permanently removes data or objects${destructiveDdl > 1 ? ` (${destructiveDdl} statements)` : ''}.`,
    });
  }
  if (destructiveAlter > 0) {
    findings.push({
      code: 'DDL_ALTER_DESTRUCTIVE',
      count: destructiveAlter,
      message: `ALTER drops, renames or retypes existing columns or constraints (${plural(destructiveAlter, 'statement')}).`,
    });
  }
  if (schemaChanges > 0) {
    findings.push({ code: 'DDL_SCHEMA_CHANGE', count: schemaChanges, message: `Changes the schema (${plural(schemaChanges, 'DDL statement')}).` });
  }
  if (writes > 0) {
    findings.push({ code: 'WRITE', count: writes, message: `Modifies data (${plural(writes, 'write statement')}).` });
  }

  // Data classification.
  const restricted = [...new Set(context.restrictedColumnsTouched.map((ref) => ref.toLowerCase()))].sort();
  if (restricted.length > 0) {
    findings.push({
      code: 'RESTRICTED_COLUMN',
      count: restricted.length,
      message: `Touches ${restricted.length === 1 ? 'a column' : 'columns'} your grant restricts: ${restricted.join(', ')}.`,
    });
  }

  const tables = new Map<string, RuleTableRef>();
  for (const table of classification.tables) tables.set(displayTable(table).toLowerCase(), table);
  const classified: string[] = [];
  let heaviest = 0;
  for (const [key, table] of [...tables].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const tags = tagsOf(table, context.classifiedTables);
    if (tags.length === 0) continue;
    classified.push(`${key} (${tags.join(', ')})`);
    for (const tag of tags) heaviest = Math.max(heaviest, tagWeight(tag));
  }
  if (classified.length > 0) {
    findings.push({ code: 'CLASSIFIED_TABLE', count: classified.length, base: heaviest, message: `Touches classified data: ${classified.join('; ')}.` });
  }

  const star = hasSelectStar(code);
  if (context.classifiedColumns.size > 0) {
    const identifiers = identifiersOf(code);
    const tableList = [...tables.values()];
    const touched = [...context.classifiedColumns]
      .map((ref) => ref.toLowerCase())
      .filter((ref) => !restricted.includes(ref))
      .filter((ref) => {
        const dot = ref.lastIndexOf('.');
        const column = ref.slice(dot + 1);
        const tableRef = dot === -1 ? null : ref.slice(0, dot);
        const onTouchedTable = tableRef === null || tableList.some((table) => tableMatches(tableRef, table));
        return onTouchedTable && (identifiers.has(column) || star);
      })
      .sort();
    const distinct = [...new Set(touched)];
    if (distinct.length > 0) {
      findings.push({
        code: 'CLASSIFIED_COLUMN',
        count: distinct.length,
        message: `Reads or writes classified columns${star ? ' (directly or through *)' : ''}: ${distinct.join(', ')}.`,
      });
    }
  }

  if (lockingReads > 0) {
    findings.push({ code: 'LOCKING_READ', count: lockingReads, message: 'SELECT is not read-only: it locks rows (FOR UPDATE/SHARE) or has side effects.' });
  }

  const joins = code.match(JOIN)?.length ?? 0;
  const relations = Math.max(tables.size, joins > 0 ? joins + 1 : 0);
  if (relations >= MANY_TABLES_THRESHOLD) {
    findings.push({
      code: 'MANY_TABLES',
      count: relations - MANY_TABLES_THRESHOLD + 1,
      message: `Spans ${relations} tables${joins > 0 ? ` with ${plural(joins, 'join')}` : ''}.`,
    });
  }

  if (statements.length >= 2) {
    findings.push({
      code: 'MULTI_STATEMENT',
      count: statements.length - 1,
      message: `Runs ${statements.length} statements${classification.transactional ? ' in one transaction' : ''}.`,
    });
  }

  if (star) findings.push({ code: 'SELECT_STAR', count: 1, message: 'Uses SELECT * (or table.*), returning every column.' });
  if (unboundedReads > 0) {
    findings.push({ code: 'READ_WITHOUT_LIMIT', count: unboundedReads, message: `Reads without a LIMIT (${plural(unboundedReads, 'SELECT statement')}).` });
  }

  // Score.
  let total = 0;
  for (const finding of findings) {
    const rule = RISK_RULES[finding.code];
    total += Math.min(rule.max, (finding.base ?? rule.base) + rule.perExtra * (finding.count - 1));
  }
  const score = Math.round(Math.min(100, Math.max(0, total)));
  const level = levelForScore(score);

  const ordered = [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[RISK_RULES[a.code].severity] - SEVERITY_RANK[RISK_RULES[b.code].severity] || (RULE_ORDER.get(a.code) ?? 0) - (RULE_ORDER.get(b.code) ?? 0),
  );
  const issues: RiskIssue[] = ordered.map((finding) => ({
    code: finding.code,
    severity: RISK_RULES[finding.code].severity,
    message: finding.message,
    suggestion: RISK_RULES[finding.code].suggestion,
  }));
  const summary =
    issues.length === 0
      ? `${level} risk (score ${score}/100): no risk factors found.`
      : `${level} risk (score ${score}/100): ${ordered.map((finding) => RISK_RULES[finding.code].title).join(', ')}.`;
  return { score, level, issues, summary, analyzer: 'rules' };
}

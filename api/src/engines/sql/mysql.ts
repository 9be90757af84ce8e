/**
 * MySQL / MariaDB classifier. node-sql-parser is not the server's parser, so it is fenced in:
 *
 * 1. `mysql-lexer.ts` lexes the text with the server's rules: executable comments are rejected, statements are
 *    split on the real `;`, and the parser gets each statement with comments removed and risky literals
 *    neutralised. The text is lexed a second time as under NO_BACKSLASH_ESCAPES; if that could expose another
 *    statement or different code, the query is rejected as ambiguous.
 * 2. Statements the parser does not know, or that are never accepted, are recognised by their leading keywords
 *    (LOAD DATA, HANDLER, SHOW, SET, …); raw-token scans catch denylisted functions and file clauses even where
 *    the parser would drop them.
 * 3. node-sql-parser's AST is walked for tables (with CTE scoping), functions, locking reads, INTO targets and
 *    writes. If it cannot parse a statement, that is a PARSE_ERROR.
 *
 * Identifiers are compared case-insensitively and returned in lower case.
 */
import sqlParser from 'node-sql-parser';
import {
  abbreviate,
  checkBatch,
  combine,
  SqlRejected,
  strongest,
  TableSet,
  type Classification,
  type QueryType,
  type ScriptStatement,
  type StatementInfo,
} from './classification.ts';
import { isDeniedFunction, MYSQL_SAFE_FUNCTIONS } from './functions.ts';
import { divergence, lexMysql, separators, splitStatements, tokenize, type Piece, type Token } from './mysql-lexer.ts';

const { Parser } = sqlParser;
const parser = new Parser();

type Obj = Record<string, unknown>;
export type Dialect = 'mysql' | 'mariadb';

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Leading keywords of statements that are never accepted (checked before parsing, as the parser knows few). */
const UNSUPPORTED_LEADERS = new Set([
  'SET', 'SHOW', 'CALL', 'DO', 'LOCK', 'UNLOCK', 'GRANT', 'REVOKE', 'HANDLER', 'PREPARE', 'EXECUTE',
  'DEALLOCATE', 'FLUSH', 'KILL', 'OPTIMIZE', 'CHECK', 'CHECKSUM', 'REPAIR', 'INSTALL', 'UNINSTALL', 'USE', 'RESET',
  'PURGE', 'CHANGE', 'STOP', 'SHUTDOWN', 'RESTART', 'CLONE', 'CACHE', 'BINLOG', 'HELP', 'SIGNAL', 'RESIGNAL', 'GET',
  'BACKUP', 'DELIMITER', 'DESCRIBE', 'DESC', 'IF', 'WHILE', 'LOOP', 'REPEAT', 'CASE', 'DECLARE', 'LEAVE',
  'ITERATE', 'RETURN', 'OPEN', 'CLOSE', 'FETCH', 'XA', 'SAVEPOINT', 'RELEASE', 'ROLLBACK', 'BEGIN', 'START',
  'COMMIT',
]);

/** CREATE/ALTER/DROP of these is account or server administration, not schema DDL. */
const ADMIN_OBJECTS = new Set([
  'USER', 'ROLE', 'SERVER', 'TABLESPACE', 'LOGFILE', 'RESOURCE', 'INSTANCE', 'UNDO', 'PACKAGE',
]);

const CREATE_DDL = new Set(['table', 'index', 'view', 'trigger', 'database', 'schema']);
const DROP_DDL = new Set(['table', 'view', 'index', 'trigger', 'database', 'schema', 'procedure', 'function', 'event']);

/** Words after which `name (` is a table name with a column list, not a function call. */
const NOT_A_CALL_AFTER = new Set(['INTO', 'TABLE', 'REFERENCES']);
/** … and in DDL also an index, key, constraint or partition name (`CREATE INDEX i ON sleep (a)`). */
const NOT_A_CALL_AFTER_IN_DDL = new Set([
  ...NOT_A_CALL_AFTER, 'ON', 'INDEX', 'KEY', 'EXISTS', 'VIEW', 'TRIGGER', 'CONSTRAINT', 'PARTITION',
]);
const DDL_LEADERS = new Set(['CREATE', 'ALTER', 'DROP', 'RENAME', 'TRUNCATE']);

/** Keywords and type names that may be followed by `(` without being a function call. */
const PAREN_KEYWORDS = new Set(
  `IN VALUES VALUE EXISTS FROM JOIN AS OVER USING ON AND OR NOT XOR WHERE SELECT THEN ELSE WHEN CASE BY ALL ANY SOME
  DISTINCT ROW INTO UNION EXCEPT INTERSECT LIMIT OFFSET HAVING SET TABLE INDEX KEY PARTITION WINDOW IS LIKE REGEXP
  RLIKE BETWEEN DIV WITH RECURSIVE LATERAL STRAIGHT_JOIN MATCH AGAINST ESCAPE FOR UPDATE FORCE USE IGNORE
  DECIMAL DEC NUMERIC FIXED CHAR NCHAR VARCHAR BINARY VARBINARY DATETIME TIME TIMESTAMP FLOAT DOUBLE REAL INT
  INTEGER BIGINT SMALLINT TINYINT MEDIUMINT BIT YEAR SIGNED UNSIGNED JSON`.split(/\s+/),
);

function unsupported(name: string): SqlRejected {
  return new SqlRejected(
    'UNSUPPORTED_STATEMENT',
    `${name} statements are not supported: submit SELECT, INSERT, UPDATE, DELETE, REPLACE or DDL`,
  );
}

const executableComment = (): SqlRejected =>
  new SqlRejected(
    'EXECUTABLE_COMMENT',
    'executable comments (/*! … */, /*M! … */) and SET_VAR optimizer hints are not allowed: the server acts on them',
  );

const multiple = (count: number): SqlRejected =>
  new SqlRejected(
    'MULTIPLE_STATEMENTS',
    `submit one statement at a time (found ${count}); several INSERT/UPDATE/DELETE statements may be wrapped in BEGIN … COMMIT`,
  );

const words = (tokens: Token[]): string[] => tokens.map((token) => (token.kind === 'word' ? token.value : `\u0000${token.value}`));

type TransactionWord = 'begin' | 'commit' | 'other' | null;

/** Recognises transaction control by its words. */
function transactionWord(tokens: Token[]): TransactionWord {
  const w = words(tokens);
  const [first, second] = w;
  if (first === 'BEGIN') return w.length === 1 || (w.length === 2 && second === 'WORK') ? 'begin' : 'other';
  if (first === 'START' && second === 'TRANSACTION') {
    const modes = new Set(['READ', 'ONLY', 'WRITE', 'WITH', 'CONSISTENT', 'SNAPSHOT', '\u0000,']);
    return w.slice(2).every((word) => modes.has(word)) ? 'begin' : 'other';
  }
  if (first === 'COMMIT') return w.length === 1 || (w.length === 2 && second === 'WORK') ? 'commit' : 'other';
  if (first === 'ROLLBACK' || first === 'SAVEPOINT' || first === 'XA') return 'other';
  if (first === 'RELEASE' && second === 'SAVEPOINT') return 'other';
  return null;
}

/** Rejections decided from the raw tokens, before (and regardless of) parsing. */
function scanTokens(tokens: Token[]): void {
  const leader = tokens[0];
  const notACall = leader?.kind === 'word' && DDL_LEADERS.has(leader.value) ? NOT_A_CALL_AFTER_IN_DDL : NOT_A_CALL_AFTER;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    if (token === undefined) continue;
    if (token.kind === 'word') {
      if (token.value === 'OUTFILE' || token.value === 'DUMPFILE' || token.value === 'INFILE') {
        throw new SqlRejected('FILE_ACCESS', `${token.value} reads or writes files on the database server`);
      }
      const previous = tokens[i - 1];
      if (token.value === 'DIRECTORY' && previous?.kind === 'word' && (previous.value === 'DATA' || previous.value === 'INDEX')) {
        throw new SqlRejected('FILE_ACCESS', `${previous.value} DIRECTORY places files on the database server`);
      }
    }
    if ((token.kind === 'word' || token.kind === 'ident') && tokens[i + 1]?.value === '(' && isDeniedFunction(token.value)) {
      let j = i;
      while (tokens[j - 1]?.value === '.' && (tokens[j - 2]?.kind === 'word' || tokens[j - 2]?.kind === 'ident')) j -= 2;
      const before = tokens[j - 1];
      if (before?.kind === 'word' && notACall.has(before.value)) continue;
      throw new SqlRejected(
        'UNSAFE_FUNCTION',
        `function ${token.value.toLowerCase()} is not allowed (side effects outside the query)`,
      );
    }
  }
}

interface Prepared {
  /** Offset in the parser text where the statement to parse starts (after EXPLAIN …). */
  offset: number;
  /** EXPLAIN without execution: classify as a read. */
  planOnly: boolean;
}

/**
 * Raw-token backstop for "proven read-only": every `name(` in the text must be a keyword or an allowlisted
 * built-in written bare and unqualified, whatever shape the parser's AST gave it.
 */
function unprovenCalls(tokens: Token[], cteNames: ReadonlySet<string>): string[] {
  const result: string[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    if (token === undefined || tokens[i + 1]?.value !== '(') continue;
    if (token.kind !== 'word' && token.kind !== 'ident') continue;
    const qualified = tokens[i - 1]?.value === '.';
    if (token.kind === 'word' && !qualified && (PAREN_KEYWORDS.has(token.value) || MYSQL_SAFE_FUNCTIONS.has(token.value.toLowerCase()))) {
      continue;
    }
    if (!qualified && cteNames.has(token.text)) continue; // WITH x (a, b) AS …
    result.push(token.text);
  }
  return result;
}

/** Handles leading keywords: unsupported statements, LOAD, EXPLAIN/ANALYZE prefixes. */
function prepare(tokens: Token[]): Prepared {
  const [first, second] = tokens;
  if (first?.kind !== 'word') return { offset: 0, planOnly: false };
  const leader = first.value;
  if (leader === 'LOAD') {
    if (second?.value === 'DATA' || second?.value === 'XML') {
      throw new SqlRejected('FILE_ACCESS', `LOAD ${second.value} reads files into tables`);
    }
    throw unsupported('LOAD');
  }
  if (leader === 'IMPORT') throw new SqlRejected('FILE_ACCESS', 'IMPORT TABLE reads files on the database server');
  if (leader === 'CREATE' || leader === 'ALTER' || leader === 'DROP' || leader === 'RENAME') {
    const orReplace = second?.value === 'OR' && tokens[2]?.value === 'REPLACE';
    const object = tokens[orReplace ? 3 : 1];
    if (object?.kind === 'word' && ADMIN_OBJECTS.has(object.value)) throw unsupported(`${leader} ${object.value}`);
  }
  if (leader === 'EXPLAIN' || leader === 'DESCRIBE' || leader === 'DESC' || leader === 'ANALYZE') {
    let i = 1;
    let executes = leader === 'ANALYZE';
    for (;;) {
      const token = tokens[i];
      if (token?.kind !== 'word') break;
      if (token.value === 'ANALYZE') {
        executes = true;
        i += 1;
      } else if (token.value === 'EXTENDED' || token.value === 'PARTITIONS') {
        i += 1;
      } else if (token.value === 'FORMAT' && tokens[i + 1]?.value === '=' && tokens[i + 2] !== undefined) {
        i += 3;
      } else {
        break;
      }
    }
    const inner = tokens[i];
    const explainable = new Set(['SELECT', 'WITH', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE', 'VALUES']);
    if (leader !== 'ANALYZE') explainable.add('TABLE'); // ANALYZE TABLE is maintenance, EXPLAIN TABLE t a query
    if (inner !== undefined && ((inner.kind === 'word' && explainable.has(inner.value)) || inner.value === '(')) {
      return { offset: inner.offset, planOnly: !executes };
    }
    throw unsupported(leader === 'ANALYZE' ? 'ANALYZE TABLE' : `${leader} (table description)`);
  }
  if (UNSUPPORTED_LEADERS.has(leader)) {
    const name = (leader === 'START' || leader === 'LOCK') && second?.kind === 'word' ? `${leader} ${second.value}` : leader;
    throw unsupported(name);
  }
  return { offset: 0, planOnly: false };
}

/** A `{ db, table }` reference object in node-sql-parser's AST (not a column reference). */
function isTableRef(obj: Obj): boolean {
  return typeof obj.table === 'string' && 'db' in obj && obj.type !== 'column_ref' && !('column' in obj);
}

const lower = (value: string | null): string | null => (value === null ? null : value.toLowerCase());

/** Name value of node-sql-parser's `{ type, value }` identifier objects. */
function identValue(value: unknown): string | null {
  if (typeof value === 'string') return value;
  return isObj(value) ? str(value.value) : null;
}

class Walker {
  /** Names in lower case, as a case-insensitive server resolves them. */
  readonly tables = new TableSet();
  /** Names as written: a case-sensitive server (lower_case_table_names = 0, Linux's default) tells `Shop` from `shop`. */
  readonly writtenTables = new TableSet();
  readonly writes: QueryType[] = [];
  unfilteredWrite = false;
  locking = false;
  /** Assigns user variables (`@v := …`, `INTO @v`). */
  assigns = false;
  readonly unproven: string[] = [];
  /** Every CTE name defined anywhere in the statement. */
  readonly cteNames = new Set<string>();

  visit(value: unknown, scope: ReadonlySet<string>): void {
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, scope);
      return;
    }
    if (!isObj(value)) return;
    let inner = scope;
    if (Array.isArray(value.with)) inner = this.withClause(value.with, scope);
    const type = str(value.type);
    this.node(type, value);
    if (isTableRef(value)) this.addTable(str(value.db), str(value.table) ?? '');
    if (typeof value.view === 'string' && 'db' in value) this.addTable(str(value.db), value.view);
    for (const [key, child] of Object.entries(value)) {
      if (key === 'with' || key === 'trigger') continue;
      if (key === 'from' && Array.isArray(child)) this.from(child, inner);
      else if (key === 'table' && type === 'update' && Array.isArray(child)) this.from(child, inner);
      else if (key === 'table' && type === 'delete' && Array.isArray(child)) this.deleteTargets(child, value.from);
      else this.visit(child, inner);
    }
  }

  private node(type: string | null, obj: Obj): void {
    switch (type) {
      case 'insert':
        if (obj.on_duplicate_update !== null && obj.on_duplicate_update !== undefined) {
          this.writes.push('UPDATE');
          this.unfilteredWrite = true;
        } else {
          this.writes.push('INSERT');
        }
        return;
      case 'replace':
        this.writes.push('UPDATE');
        this.unfilteredWrite = true;
        return;
      case 'update':
      case 'delete':
        this.writes.push(type === 'update' ? 'UPDATE' : 'DELETE');
        if (obj.where === null || obj.where === undefined) this.unfilteredWrite = true;
        return;
      case 'select': {
        if (obj.locking_read !== null && obj.locking_read !== undefined) this.locking = true;
        const into = isObj(obj.into) ? obj.into : null;
        if (into && (into.position !== null || into.keyword !== undefined)) {
          const keyword = (str(into.keyword) ?? '').toLowerCase();
          if (keyword === 'outfile' || keyword === 'dumpfile') {
            throw new SqlRejected('FILE_ACCESS', `SELECT … INTO ${keyword.toUpperCase()} writes a file on the database server`);
          }
          this.assigns = true;
        }
        return;
      }
      case 'assign':
        this.assigns = true;
        return;
      case 'create':
      case 'drop': {
        // A whole database (= schema): CREATE DATABASE d, DROP SCHEMA s.
        const keyword = (str(obj.keyword) ?? '').toLowerCase();
        if (keyword !== 'database' && keyword !== 'schema') return;
        const named = type === 'drop' ? obj.name : (obj.database ?? obj.schema);
        const parts = typeof named === 'string' ? [named] : isObj(named) ? list(named.schema).map(identValue) : [];
        for (const part of parts) if (part !== null) this.addRef(part, '*');
        return;
      }
      case 'function': {
        const name = isObj(obj.name) ? list(obj.name.name).map(identValue).at(-1) : null;
        const schema = isObj(obj.name) ? identValue(obj.name.schema) : null;
        this.func(name ?? '', schema);
        return;
      }
      case 'aggr_func':
        this.func(str(obj.name) ?? '', null);
        return;
      default:
        return;
    }
  }

  private func(name: string, schema: string | null): void {
    const display = schema === null ? name : `${schema}.${name}`;
    if (isDeniedFunction(name)) {
      throw new SqlRejected('UNSAFE_FUNCTION', `function ${display.toLowerCase()} is not allowed (side effects outside the query)`);
    }
    if (schema !== null || !MYSQL_SAFE_FUNCTIONS.has(name.toLowerCase())) this.unproven.push(display);
  }

  private addTable(db: string | null, table: string): void {
    if (table === '') return;
    this.addRef(db, table);
  }

  addRef(schema: string | null, name: string): void {
    this.tables.add({ schema: lower(schema), name: name.toLowerCase() });
    this.writtenTables.add({ schema, name });
  }

  /** FROM items (and UPDATE's table list): an unqualified name written exactly as a CTE in scope is the CTE. */
  private from(items: unknown[], scope: ReadonlySet<string>): void {
    for (const item of items) {
      if (!isObj(item)) continue;
      if (isTableRef(item)) {
        const table = str(item.table) ?? '';
        const db = str(item.db);
        if (!(db === null && scope.has(table))) this.addTable(db, table);
        const { table: _table, db: _db, ...rest } = item;
        this.visit(rest, scope);
      } else if (Array.isArray(item.expr)) {
        const { expr, ...rest } = item;
        this.from(expr, scope);
        this.visit(rest, scope);
      } else {
        this.visit(item, scope);
      }
    }
  }

  /** Multi-table DELETE targets name aliases or tables of the FROM list; only unknown names are added. */
  private deleteTargets(targets: unknown[], from: unknown): void {
    const aliases = new Set<string>();
    const collect = (items: unknown[]): void => {
      for (const item of items) {
        if (!isObj(item)) continue;
        const alias = str(item.as);
        if (alias !== null) aliases.add(alias.toLowerCase());
        if (Array.isArray(item.expr)) collect(item.expr);
      }
    };
    collect(list(from));
    for (const target of targets) {
      if (!isObj(target) || target.addition === true) continue;
      const table = str(target.table) ?? '';
      const db = str(target.db);
      if (db === null && aliases.has(table.toLowerCase())) continue;
      this.addTable(db, table);
    }
  }

  /** CTE bodies see the CTEs before them (and themselves under RECURSIVE). */
  private withClause(ctes: unknown[], scope: ReadonlySet<string>): ReadonlySet<string> {
    let visible = new Set(scope);
    for (const cte of ctes) {
      if (!isObj(cte)) continue;
      const name = identValue(cte.name);
      if (name !== null) this.cteNames.add(name);
      const withSelf = name !== null ? new Set([...visible, name]) : visible;
      const { name: _name, ...rest } = cte;
      this.visit(rest, cte.recursive === true ? withSelf : visible);
      visible = withSelf;
    }
    return visible;
  }
}

/** The arms of a set operation (`_next` chain). */
function arms(select: Obj): Obj[] {
  const result: Obj[] = [];
  for (let current: unknown = select; isObj(current); current = current._next) result.push(current);
  return result;
}

const hasLimit = (node: Obj): boolean => isObj(node.limit) && list(node.limit.value).length > 0;

function baseType(ast: Obj): QueryType {
  const type = str(ast.type) ?? '';
  const keyword = (str(ast.keyword) ?? '').toLowerCase();
  switch (type) {
    case 'select':
      return 'SELECT';
    case 'insert':
      return 'INSERT';
    case 'replace':
    case 'update':
      return 'UPDATE';
    case 'delete':
      return 'DELETE';
    case 'create':
      if (CREATE_DDL.has(keyword)) return 'DDL';
      throw unsupported(`CREATE ${keyword.toUpperCase()}`.trim());
    case 'drop':
      if (DROP_DDL.has(keyword)) return 'DDL';
      throw unsupported(`DROP ${keyword.toUpperCase()}`.trim());
    case 'alter':
    case 'truncate':
    case 'rename':
      return 'DDL';
    case 'load_data':
      throw new SqlRejected('FILE_ACCESS', 'LOAD DATA reads files into tables');
    default:
      throw unsupported(type.replaceAll('_', ' ').toUpperCase() || 'this kind of');
  }
}

const parserOptions = (dialect: Dialect): { database: string } => ({ database: dialect === 'mariadb' ? 'MariaDB' : 'MySQL' });

/**
 * Belt and braces: node-sql-parser also collects tables while parsing (`tableList`), independently of the AST
 * shape the walker reads. Whatever it found that the walker did not is added, except names of the statement's CTEs.
 */
function addParserTableList(walker: Walker, text: string, dialect: Dialect): void {
  let entries: string[];
  try {
    entries = parser.tableList(text, parserOptions(dialect));
  } catch {
    return;
  }
  for (const entry of entries) {
    const [, db, table] = entry.split('::');
    if (table === undefined || table === 'null' || table === '') continue;
    const schema = db === undefined || db === 'null' ? null : db;
    if (schema === null && walker.cteNames.has(table)) continue;
    walker.addRef(schema, table);
  }
}

function parse(text: string, dialect: Dialect): Obj {
  let result: unknown;
  try {
    result = parser.astify(text, parserOptions(dialect));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SqlRejected('PARSE_ERROR', `syntax error (or syntax the classifier's parser does not know): ${message}`);
  }
  const asts = Array.isArray(result) ? result : [result];
  if (asts.length > 1) throw multiple(asts.length);
  const [ast] = asts;
  if (!isObj(ast)) throw new SqlRejected('PARSE_ERROR', 'the parser returned no statement');
  return ast;
}

function classifyStatement(piece: Piece, dialect: Dialect): StatementInfo {
  const tokens = tokenize(piece.parserText);
  if (transactionWord(tokens) !== null) {
    throw new SqlRejected(
      'UNSUPPORTED_STATEMENT',
      `${abbreviate(piece.text, 30)} is only accepted as BEGIN … COMMIT around INSERT, UPDATE and DELETE statements`,
    );
  }
  const { offset, planOnly } = prepare(tokens);
  scanTokens(tokens);
  const ast = parse(piece.parserText.slice(offset), dialect);
  const base = baseType(ast);
  const walker = new Walker();
  walker.visit(ast, new Set());
  addParserTableList(walker, piece.parserText.slice(offset), dialect);
  const type = strongest([base, ...walker.writes]);
  const opaqueCalls = [...new Set([...walker.unproven, ...unprovenCalls(tokens, walker.cteNames)])];
  const pure = opaqueCalls.length === 0;
  let hasWhere = false;
  if (type === 'UPDATE' || type === 'DELETE') hasWhere = !walker.unfilteredWrite;
  else if (type === 'SELECT') hasWhere = arms(ast).every((arm) => arm.where !== null && arm.where !== undefined);
  const lastArm = arms(ast).at(-1) ?? ast;
  const info: StatementInfo = {
    type,
    text: piece.text,
    tables: walker.tables.toArray(),
    writtenTables: walker.writtenTables.toArray(),
    hasWhere,
    hasLimit: hasLimit(type === 'SELECT' ? lastArm : ast),
    readOnly: type === 'SELECT' && walker.writes.length === 0 && !walker.locking && !walker.assigns && pure,
    opaqueCalls,
  };
  // EXPLAIN without ANALYZE only plans; functions may still be evaluated while planning.
  if (planOnly) return { ...info, type: 'SELECT', readOnly: pure && !walker.assigns };
  return info;
}

/** Rejects text that the server would read differently under NO_BACKSLASH_ESCAPES. */
function checkBackslashAmbiguity(sql: string, primary: ReturnType<typeof lexMysql>): void {
  if (!sql.includes('\\')) return;
  const alternative = lexMysql(sql, false);
  if (alternative.executable !== null) {
    throw executableComment();
  }
  const at = divergence(primary.regions, alternative.regions);
  if (at === null) return;
  const primarySeparators = new Set(separators(sql, primary.regions));
  const extra = separators(sql, alternative.regions).some((offset) => offset >= at && !primarySeparators.has(offset));
  if (extra || alternative.error === null) {
    throw new SqlRejected(
      'PARSE_ERROR',
      `the text at offset ${at} reads differently when the server runs with NO_BACKSLASH_ESCAPES ` +
        '(a backslash before a quote); double the quote instead',
    );
  }
}

/**
 * Splits a MySQL/MariaDB script into its statements with the same lexer the classifier trusts; a script the lexer
 * refuses is one piece (classifying it then reports why).
 */
export function splitMysql(sql: string): ScriptStatement[] {
  const lexed = lexMysql(sql, true);
  // An executable comment lexes as a comment: the split stands, and classifying its statement refuses it.
  if (lexed.error !== null) {
    return /\S/.test(sql) ? [{ start: 0, end: sql.length, text: sql.trim(), transactionControl: false }] : [];
  }
  const firstToken = (from: number, to: number): number => {
    for (const region of lexed.regions) {
      if (region.end <= from || region.start >= to || region.kind === 'comment') continue;
      const at = Math.max(region.start, from);
      const offset = region.kind === 'code' ? sql.slice(at, region.end).search(/\S/) : 0;
      if (offset >= 0) return at + offset;
    }
    return from;
  };
  return splitStatements(sql, lexed.regions).map((piece) => {
    const trimmedEnd = piece.start + sql.slice(piece.start, piece.end).trimEnd().length;
    return { start: firstToken(piece.start, piece.end), end: trimmedEnd, text: piece.text, transactionControl: transactionWord(tokenize(piece.parserText)) !== null };
  });
}

/** Classifies one MySQL or MariaDB submission, or throws SqlRejected. */
export function classifyMysql(sql: string, dialect: Dialect): Classification {
  if (!/\S/.test(sql)) throw new SqlRejected('EMPTY', 'the query is empty');
  if (sql.includes('\u0000')) throw new SqlRejected('PARSE_ERROR', 'the query contains a NUL character');
  const lexed = lexMysql(sql, true);
  if (lexed.executable !== null) throw executableComment();
  if (lexed.error !== null) throw new SqlRejected('PARSE_ERROR', `syntax error: ${lexed.error}`);
  checkBackslashAmbiguity(sql, lexed);
  const pieces = splitStatements(sql, lexed.regions);
  const [first] = pieces;
  if (first === undefined) throw new SqlRejected('EMPTY', 'the query contains only comments');
  if (pieces.length === 1) return combine([classifyStatement(first, dialect)], false);

  if (transactionWord(tokenize(first.parserText)) !== 'begin') throw multiple(pieces.length);
  const last = pieces.at(-1);
  if (last === undefined || transactionWord(tokenize(last.parserText)) !== 'commit') {
    throw new SqlRejected('MIXED_TRANSACTION', 'a transaction must end with COMMIT');
  }
  const inner = pieces.slice(1, -1);
  for (const piece of inner) {
    if (transactionWord(tokenize(piece.parserText)) !== null) {
      throw new SqlRejected('MIXED_TRANSACTION', `${abbreviate(piece.text, 30)} is not allowed inside a transaction batch`);
    }
  }
  const statements = inner.map((piece) => classifyStatement(piece, dialect));
  checkBatch(statements);
  return combine(statements, true);
}

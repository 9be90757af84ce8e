/**
 * PostgreSQL classifier: libpg-query is PostgreSQL 18's own parser compiled to WASM, so statement boundaries,
 * comments, dollar quotes and identifier case folding are exactly what the server sees. The AST (JSON) is walked
 * generically: a small recursive visitor collects RangeVars (tables), FuncCalls, operators, CTE scopes, locking
 * clauses and data-modifying statements wherever they are nested.
 */
import { parseSync, scanSync } from 'libpg-query';
import { loadPgParser, pgParserLoaded } from './pg-parser.ts';
import {
  abbreviate,
  checkBatch,
  combine,
  SqlRejected,
  stronger,
  TableSet,
  type Classification,
  type QueryType,
  type ScriptStatement,
  type StatementInfo,
  type TableRef,
} from './classification.ts';
import { isDeniedFunction, PG_SAFE_FUNCTIONS, PG_SAFE_OPERATORS } from './functions.ts';
import { isObj, list, str, unwrap, type Obj } from './pg-ast.ts';

/** A list of `{ String: { sval } }` nodes (a qualified name) → its strings. */
function names(value: unknown): string[] {
  const unwrapped = unwrap(value);
  if (unwrapped?.[0] === 'List') return names(unwrapped[1].items);
  if (unwrapped?.[0] === 'String') return [str(unwrapped[1].sval) ?? ''];
  if (unwrapped?.[0] === 'ObjectWithArgs') return names(unwrapped[1].objname);
  if (unwrapped?.[0] === 'TypeName') return names(unwrapped[1].names);
  if (!Array.isArray(value)) return [];
  const parts: string[] = [];
  for (const item of value) {
    const node = unwrap(item);
    if (node?.[0] === 'String') parts.push(str(node[1].sval) ?? '');
  }
  return parts;
}

/** A qualified name → a reference to the object it names (last part), in the schema before it. */
function qualified(parts: string[]): TableRef | null {
  const name = parts.at(-1);
  if (name === undefined) return null;
  return { schema: parts.length > 1 ? (parts.at(-2) ?? null) : null, name };
}

/** Schema-object DDL accepted as type DDL. Anything that is neither this nor DML is UNSUPPORTED_STATEMENT. */
const DDL_NODES = new Set([
  'CreateStmt', 'CreateTableAsStmt', 'AlterTableStmt', 'DropStmt', 'TruncateStmt', 'RenameStmt', 'CommentStmt',
  'IndexStmt', 'ViewStmt', 'CreateSchemaStmt', 'CreateSeqStmt', 'AlterSeqStmt', 'CreateFunctionStmt',
  'AlterFunctionStmt', 'CreateTrigStmt', 'CreateEnumStmt', 'AlterEnumStmt', 'CreateRangeStmt', 'CompositeTypeStmt',
  'CreateDomainStmt', 'AlterDomainStmt', 'DefineStmt', 'RuleStmt', 'CreatePolicyStmt', 'AlterPolicyStmt',
  'AlterObjectSchemaStmt', 'AlterOwnerStmt', 'AlterObjectDependsStmt', 'CreateStatsStmt', 'AlterStatsStmt',
  'AlterCollationStmt', 'CreateCastStmt', 'CreateOpClassStmt', 'CreateOpFamilyStmt', 'AlterOpFamilyStmt',
  'AlterOperatorStmt', 'AlterTypeStmt', 'CreateConversionStmt', 'CreateTransformStmt', 'AlterTSDictionaryStmt',
  'AlterTSConfigurationStmt', 'RefreshMatViewStmt', 'CreateExtensionStmt', 'AlterExtensionStmt',
  'AlterExtensionContentsStmt', 'CreateForeignTableStmt', 'CreateAmStmt',
]);

/** Statement nodes that may appear nested (CTE bodies, CREATE SCHEMA elements, SQL function bodies, rules). */
const NESTABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'ReturnStmt']);

const STATEMENT_NAMES: Record<string, string> = {
  VariableShowStmt: 'SHOW', CallStmt: 'CALL', DoStmt: 'DO', LockStmt: 'LOCK', CopyStmt: 'COPY',
  AlterSystemStmt: 'ALTER SYSTEM', PrepareStmt: 'PREPARE', ExecuteStmt: 'EXECUTE', DeallocateStmt: 'DEALLOCATE',
  ListenStmt: 'LISTEN', NotifyStmt: 'NOTIFY', UnlistenStmt: 'UNLISTEN', DiscardStmt: 'DISCARD',
  DeclareCursorStmt: 'DECLARE CURSOR', FetchStmt: 'FETCH', ClosePortalStmt: 'CLOSE', CheckPointStmt: 'CHECKPOINT',
  LoadStmt: 'LOAD', ClusterStmt: 'CLUSTER', ReindexStmt: 'REINDEX', CreateRoleStmt: 'CREATE ROLE',
  AlterRoleStmt: 'ALTER ROLE', AlterRoleSetStmt: 'ALTER ROLE SET', DropRoleStmt: 'DROP ROLE',
  CreatedbStmt: 'CREATE DATABASE', AlterDatabaseStmt: 'ALTER DATABASE', AlterDatabaseSetStmt: 'ALTER DATABASE SET',
  DropdbStmt: 'DROP DATABASE', AlterDefaultPrivilegesStmt: 'ALTER DEFAULT PRIVILEGES', ReassignOwnedStmt: 'REASSIGN OWNED',
  DropOwnedStmt: 'DROP OWNED', CreateTableSpaceStmt: 'CREATE TABLESPACE', DropTableSpaceStmt: 'DROP TABLESPACE',
  CreateFdwStmt: 'CREATE FOREIGN DATA WRAPPER', CreateForeignServerStmt: 'CREATE SERVER',
  CreateUserMappingStmt: 'CREATE USER MAPPING', ImportForeignSchemaStmt: 'IMPORT FOREIGN SCHEMA',
  CreateSubscriptionStmt: 'CREATE SUBSCRIPTION', CreatePublicationStmt: 'CREATE PUBLICATION',
  CreateEventTrigStmt: 'CREATE EVENT TRIGGER', CreatePLangStmt: 'CREATE LANGUAGE', SecLabelStmt: 'SECURITY LABEL',
  ConstraintsSetStmt: 'SET CONSTRAINTS',
};

const TRANSACTION_NAMES: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN', TRANS_STMT_START: 'START TRANSACTION', TRANS_STMT_COMMIT: 'COMMIT',
  TRANS_STMT_ROLLBACK: 'ROLLBACK', TRANS_STMT_SAVEPOINT: 'SAVEPOINT', TRANS_STMT_RELEASE: 'RELEASE SAVEPOINT',
  TRANS_STMT_ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT', TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
  TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED', TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
};

/** A human name for a statement node (for messages). */
function statementName(type: string, body: Obj): string {
  switch (type) {
    case 'VariableSetStmt': {
      const kind = str(body.kind);
      if (kind === 'VAR_RESET' || kind === 'VAR_RESET_ALL') return 'RESET';
      const name = str(body.name);
      if (name === 'role') return 'SET ROLE';
      if (name === 'session_authorization') return 'SET SESSION AUTHORIZATION';
      return 'SET';
    }
    case 'GrantStmt':
    case 'GrantRoleStmt':
      return body.is_grant === true ? 'GRANT' : 'REVOKE';
    case 'VacuumStmt':
      return body.is_vacuumcmd === true ? 'VACUUM' : 'ANALYZE';
    case 'TransactionStmt':
      return TRANSACTION_NAMES[str(body.kind) ?? ''] ?? 'transaction control';
    default:
      return (
        STATEMENT_NAMES[type] ??
        type
          .replace(/Stmt$/, '')
          .replace(/([a-z])([A-Z])/g, '$1 $2')
          .toUpperCase()
      );
  }
}

function unsupported(type: string, body: Obj): SqlRejected {
  if (type === 'CopyStmt' && (str(body.filename) !== null || body.is_program === true)) {
    return new SqlRejected('FILE_ACCESS', 'COPY to or from a server file or program is not allowed');
  }
  return new SqlRejected(
    'UNSUPPORTED_STATEMENT',
    `${statementName(type, body)} statements are not supported: submit SELECT, INSERT, UPDATE, DELETE, MERGE or DDL`,
  );
}

/** The keys that hold FROM items (compared directly: a set lookup per key of every object costs more). */
const isFromKey = (key: string): boolean => key === 'fromClause' || key === 'usingClause' || key === 'sourceRelation';
const CHECKED_OPERATOR_KINDS = new Set([
  'AEXPR_OP', 'AEXPR_OP_ANY', 'AEXPR_OP_ALL', 'AEXPR_DISTINCT', 'AEXPR_NOT_DISTINCT', 'AEXPR_NULLIF', 'AEXPR_IN',
  'AEXPR_LIKE', 'AEXPR_ILIKE', 'AEXPR_SIMILAR',
]);
const RELATION_DROPS = new Set([
  'OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_INDEX', 'OBJECT_SEQUENCE', 'OBJECT_FOREIGN_TABLE',
  'OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_ROUTINE', 'OBJECT_AGGREGATE', 'OBJECT_TYPE', 'OBJECT_DOMAIN',
  'OBJECT_COLLATION', 'OBJECT_CONVERSION', 'OBJECT_STATISTIC_EXT', 'OBJECT_TSCONFIGURATION',
  'OBJECT_TSDICTIONARY', 'OBJECT_TSPARSER', 'OBJECT_TSTEMPLATE',
]);
const ON_TABLE_DROPS = new Set(['OBJECT_TRIGGER', 'OBJECT_POLICY', 'OBJECT_RULE', 'OBJECT_TABCONSTRAINT']);
const RELATION_RENAMES = new Set([
  'OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_INDEX', 'OBJECT_SEQUENCE', 'OBJECT_FOREIGN_TABLE',
]);

/**
 * Nodes that by the grammar hold only literals and names (never a relation, function, operator or statement), so
 * the walk does not descend into them. They are most of the nodes of a typical statement.
 */
const LEAVES = new Set(['A_Const', 'ColumnRef', 'ParamRef', 'A_Star', 'String', 'Integer', 'Float', 'Boolean', 'BitString']);

const NO_NAMES: ReadonlySet<string> = new Set();

/** What one walk over a statement's AST found. */
class Walker {
  readonly tables = new TableSet();
  /** Types of the data-modifying statements found (top level and nested). */
  readonly writes: QueryType[] = [];
  /** An UPDATE/DELETE/MERGE/upsert without a WHERE. */
  unfilteredWrite = false;
  locking = false;
  selectInto = false;
  /** Functions and operators not proven side-effect-free. */
  readonly unproven: string[] = [];
  /** Inside CREATE SCHEMA s …: unqualified names may be created in s. */
  #schemaElements: string | null = null;

  /** Walks a statement node given as its type and body (the parser's `{ [type]: body }`). */
  statementNode(type: string, body: Obj): void {
    this.node(type, body, NO_NAMES);
  }

  visit(value: unknown, scope: ReadonlySet<string>): void {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, scope);
      return;
    }
    // A node is `{ Type: body }`; no field of the parser's AST has a capitalised name (`nodeKeysAreCapitalised` in
    // the tests holds the parser to it), so the first key tells a node from a bare field object.
    let first: string | undefined;
    for (const key in value) {
      first = key;
      break;
    }
    if (first === undefined) return;
    const initial = first.charCodeAt(0);
    if (initial < 65 || initial > 90) this.fields(value as Obj, scope);
    else if (!LEAVES.has(first)) {
      const body = (value as Obj)[first];
      if (isObj(body)) this.node(first, body, scope);
    }
  }

  private node(type: string, body: Obj, scope: ReadonlySet<string>): void {
    if (type.endsWith('Stmt')) this.statement(type, body);
    else if (type === 'FuncCall') this.func(names(body.funcname));
    else if (type === 'A_Expr' && CHECKED_OPERATOR_KINDS.has(str(body.kind) ?? '')) this.operator(names(body.name));
    if (type !== 'CreateSchemaStmt') {
      this.fields(body, scope);
      return;
    }
    const outer = this.#schemaElements;
    this.#schemaElements = str(body.schemaname);
    this.fields(body, scope);
    this.#schemaElements = outer;
  }

  private fields(obj: Obj, scope: ReadonlySet<string>): void {
    // The CTEs are in scope for every other field, whatever the key order.
    const withClause = obj.withClause;
    const inner = isObj(withClause) ? this.withClause(withClause, scope) : scope;
    // One pass over the keys: this runs for every object of every statement, and a named property read on objects
    // of so many shapes is slow, so the fields that matter are recognised by key.
    for (const key in obj) {
      const value = obj[key];
      if (typeof value !== 'object' || value === null) {
        // Scalars (locations, flags, names) hold nothing to find but a RangeVar's name.
        if (key === 'relname') {
          if (typeof value === 'string') this.table(obj, scope, false);
        } else if (key === 'intoClause') {
          this.selectInto = true;
        }
        continue;
      }
      if (key === 'withClause') continue;
      if (key === 'intoClause') this.selectInto = true;
      else if (key === 'lockingClause' && Array.isArray(value) && value.length > 0) this.locking = true;
      if (isFromKey(key)) this.from(value, inner);
      else this.visit(value, inner);
    }
  }

  /** A FROM item: here (and only here) an unqualified name may refer to a CTE in scope. */
  private from(value: unknown, scope: ReadonlySet<string>): void {
    if (Array.isArray(value)) {
      for (const item of value) this.from(item, scope);
      return;
    }
    const node = unwrap(value);
    if (node?.[0] === 'RangeVar') {
      this.table(node[1], scope, true);
    } else if (node?.[0] === 'JoinExpr') {
      const { larg, rarg, ...rest } = node[1];
      this.from(larg, scope);
      this.from(rarg, scope);
      this.visit(rest, scope);
    } else {
      this.visit(value, scope);
    }
  }

  private table(rangeVar: Obj, scope: ReadonlySet<string>, fromItem: boolean): void {
    const name = str(rangeVar.relname);
    if (name === null) return;
    const schema = str(rangeVar.schemaname);
    if (fromItem && schema === null && scope.has(name)) return;
    this.tables.add({ schema, name });
    if (schema === null && this.#schemaElements !== null) this.tables.add({ schema: this.#schemaElements, name });
  }

  /**
   * Visits the CTE bodies and returns the scope of the statement that owns the WITH. A CTE body sees the CTEs
   * before it (and itself under RECURSIVE): in `WITH t AS (SELECT * FROM t)` the inner `t` is the real table.
   */
  private withClause(withClause: Obj, scope: ReadonlySet<string>): ReadonlySet<string> {
    const recursive = withClause.recursive === true;
    let visible = new Set(scope);
    for (const item of list(withClause.ctes)) {
      const cte = unwrap(item);
      if (!cte) {
        this.visit(item, visible);
        continue;
      }
      const name = str(cte[1].ctename);
      const withSelf = name !== null ? new Set([...visible, name]) : visible;
      this.visit(cte[1], recursive ? withSelf : visible);
      visible = withSelf;
    }
    return visible;
  }

  private statement(type: string, body: Obj): void {
    switch (type) {
      case 'InsertStmt': {
        const conflict = isObj(body.onConflictClause) ? body.onConflictClause : null;
        if (conflict && str(conflict.action) === 'ONCONFLICT_UPDATE') {
          this.writes.push('UPDATE');
          if (conflict.whereClause === undefined) this.unfilteredWrite = true;
        } else {
          this.writes.push('INSERT');
        }
        return;
      }
      case 'UpdateStmt':
      case 'DeleteStmt':
        this.writes.push(type === 'UpdateStmt' ? 'UPDATE' : 'DELETE');
        if (body.whereClause === undefined) this.unfilteredWrite = true;
        return;
      case 'MergeStmt': {
        const deletes = list(body.mergeWhenClauses).some((clause) => {
          const when = unwrap(clause);
          return when !== null && str(when[1].commandType) === 'CMD_DELETE';
        });
        this.writes.push(deletes ? 'DELETE' : 'UPDATE');
        this.unfilteredWrite = true;
        return;
      }
      default:
        if (NESTABLE.has(type)) return;
        if (DDL_NODES.has(type)) {
          this.ddlRefs(type, body);
          return;
        }
        throw unsupported(type, body);
    }
  }

  /** Objects a DDL statement names other than through RangeVars (which `fields` already collects). */
  private ddlRefs(type: string, body: Obj): void {
    const add = (ref: TableRef | null): void => {
      if (ref && ref.name !== '') this.tables.add(ref);
    };
    const schema = (name: string | null): void => {
      if (name !== null) this.tables.add({ schema: name, name: '*' });
    };
    switch (type) {
      case 'DropStmt': {
        const removeType = str(body.removeType) ?? '';
        for (const object of list(body.objects)) {
          const parts = names(object);
          if (removeType === 'OBJECT_SCHEMA') schema(parts.at(-1) ?? null);
          else if (RELATION_DROPS.has(removeType)) add(qualified(parts));
          else if (ON_TABLE_DROPS.has(removeType)) add(qualified(parts.slice(0, -1)));
        }
        return;
      }
      case 'CreateSchemaStmt':
        schema(str(body.schemaname));
        return;
      case 'RenameStmt': {
        const renameType = str(body.renameType) ?? '';
        if (renameType === 'OBJECT_SCHEMA') {
          schema(str(body.subname));
          schema(str(body.newname));
        } else if (RELATION_RENAMES.has(renameType) && isObj(body.relation)) {
          const newname = str(body.newname);
          if (newname !== null) add({ schema: str(body.relation.schemaname), name: newname });
        }
        return;
      }
      case 'AlterObjectSchemaStmt': {
        // The object moves into `newschema`; RangeVars already cover a relation's old place.
        const newschema = str(body.newschema);
        const parts = isObj(body.relation) ? [str(body.relation.relname) ?? ''] : names(body.object);
        if (!isObj(body.relation)) add(qualified(parts));
        if (newschema !== null) add({ schema: newschema, name: parts.at(-1) ?? '' });
        return;
      }
      case 'CommentStmt': {
        const objtype = str(body.objtype) ?? '';
        const parts = names(body.object);
        if (objtype === 'OBJECT_SCHEMA') schema(parts.at(-1) ?? null);
        else if (objtype === 'OBJECT_COLUMN' || ON_TABLE_DROPS.has(objtype)) add(qualified(parts.slice(0, -1)));
        else if (RELATION_DROPS.has(objtype)) add(qualified(parts));
        return;
      }
      case 'CreateFunctionStmt':
        add(qualified(names(body.funcname)));
        return;
      case 'AlterFunctionStmt':
        add(qualified(names(isObj(body.func) ? body.func.objname : undefined)));
        return;
      case 'DefineStmt':
        add(qualified(names(body.defnames)));
        return;
      case 'CreateDomainStmt':
        add(qualified(names(body.domainname)));
        return;
      case 'CreateEnumStmt':
      case 'CreateRangeStmt':
        add(qualified(names(body.typeName)));
        return;
      default:
        return;
    }
  }

  private func(parts: string[]): void {
    const name = parts.at(-1) ?? '';
    const schema = parts.length > 1 ? parts.at(-2) : null;
    if (isDeniedFunction(name)) {
      throw new SqlRejected('UNSAFE_FUNCTION', `function ${parts.join('.')} is not allowed (side effects outside the query)`);
    }
    if ((schema !== null && schema !== 'pg_catalog') || !PG_SAFE_FUNCTIONS.has(name)) this.unproven.push(parts.join('.'));
  }

  private operator(parts: string[]): void {
    const name = parts.at(-1) ?? '';
    const schema = parts.length > 1 ? parts.at(-2) : null;
    if ((schema !== null && schema !== 'pg_catalog') || !PG_SAFE_OPERATORS.has(name)) {
      this.unproven.push(`operator ${parts.join('.')}`);
    }
  }
}

interface Analysis {
  info: Omit<StatementInfo, 'text'>;
  /** No function or operator outside the allowlists. */
  pureExpressions: boolean;
}

/** Top-level WHERE of a SELECT (every arm of a set operation; VALUES has none). */
function selectHasWhere(select: Obj): boolean {
  const op = str(select.op);
  if (op !== null && op !== 'SETOP_NONE') {
    const left = unwrap(select.larg);
    const right = unwrap(select.rarg);
    return left !== null && right !== null && selectHasWhere(left[1]) && selectHasWhere(right[1]);
  }
  return select.whereClause !== undefined;
}

function selectHasLimit(select: Obj): boolean {
  const count = unwrap(select.limitCount);
  if (count === null) return false;
  return !(count[0] === 'A_Const' && count[1].isnull === true);
}

function analyze(type: string, body: Obj): Analysis {
  let base: QueryType;
  if (type === 'SelectStmt') base = body.intoClause !== undefined ? 'DDL' : 'SELECT';
  else if (type === 'InsertStmt') base = 'INSERT';
  else if (type === 'UpdateStmt') base = 'UPDATE';
  else if (type === 'DeleteStmt') base = 'DELETE';
  else if (type === 'MergeStmt') base = 'UPDATE';
  else if (DDL_NODES.has(type)) base = 'DDL';
  else throw unsupported(type, body);

  const walker = new Walker();
  walker.statementNode(type, body);
  let queryType = base;
  for (const write of walker.writes) queryType = stronger(queryType, write);
  const pureExpressions = walker.unproven.length === 0;
  const readOnly =
    queryType === 'SELECT' && walker.writes.length === 0 && !walker.locking && !walker.selectInto && pureExpressions;
  let hasWhere = false;
  if (queryType === 'UPDATE' || queryType === 'DELETE') hasWhere = !walker.unfilteredWrite;
  else if (queryType === 'SELECT' && type === 'SelectStmt') hasWhere = selectHasWhere(body);
  const tables = walker.tables.toArray();
  return {
    info: {
      type: queryType,
      tables,
      writtenTables: tables,
      hasWhere,
      hasLimit: type === 'SelectStmt' && selectHasLimit(body),
      readOnly,
      opaqueCalls: pureExpressions ? [] : [...new Set(walker.unproven)],
    },
    pureExpressions,
  };
}

/** EXPLAIN executes its statement only with ANALYZE (not `ANALYZE false|off|0`). */
function explainExecutes(options: unknown): boolean {
  return list(options).some((option) => {
    const element = unwrap(option);
    if (element === null || str(element[1].defname) !== 'analyze') return false;
    const arg = unwrap(element[1].arg);
    if (arg === null) return true;
    if (arg[0] === 'String') return !['false', 'off', '0', 'no'].includes((str(arg[1].sval) ?? '').toLowerCase());
    if (arg[0] === 'Integer') return (arg[1].ival ?? 0) !== 0;
    if (arg[0] === 'Boolean') return arg[1].boolval === true;
    return true;
  });
}

function classifyStatement(stmt: unknown, text: string): StatementInfo {
  const node = unwrap(stmt);
  if (node === null) throw new SqlRejected('PARSE_ERROR', 'the parser returned an unexpected statement');
  const [type, body] = node;
  if (type === 'ExplainStmt') {
    const inner = unwrap(body.query);
    if (inner === null) throw new SqlRejected('PARSE_ERROR', 'EXPLAIN without a statement');
    const { info, pureExpressions } = analyze(inner[0], inner[1]);
    if (explainExecutes(body.options)) return withText(info, text);
    // Plain EXPLAIN plans without executing; the planner may still evaluate functions, hence pureExpressions.
    return withText({ ...info, type: 'SELECT', readOnly: pureExpressions }, text);
  }
  if (type === 'TransactionStmt') {
    throw new SqlRejected(
      'UNSUPPORTED_STATEMENT',
      `${statementName(type, body)} is only accepted as BEGIN … COMMIT around INSERT, UPDATE and DELETE statements`,
    );
  }
  return withText(analyze(type, body).info, text);
}

function withText(info: Omit<StatementInfo, 'text'>, text: string): StatementInfo {
  return {
    type: info.type,
    text,
    tables: info.tables,
    writtenTables: info.writtenTables,
    hasWhere: info.hasWhere,
    hasLimit: info.hasLimit,
    readOnly: info.readOnly,
    opaqueCalls: info.opaqueCalls,
  };
}

/**
 * With standard_conforming_strings off, a backslash escapes the quote that follows it in a plain '…' literal, so
 * the server would see different statement boundaries than the parser. Such literals are rejected; E'…' is fine.
 */
function rejectAmbiguousLiterals(sql: string): void {
  if (!sql.includes("\\'")) return;
  for (const token of scanSync(sql).tokens) {
    if (token.tokenName === 'SCONST' && token.text.startsWith("'") && /(?<!\\)(?:\\\\)*\\'/.test(token.text.slice(1))) {
      throw new SqlRejected(
        'PARSE_ERROR',
        `the string literal ${abbreviate(token.text, 40)} contains a backslash before a quote, which reads differently ` +
          `when standard_conforming_strings is off; write it as an E'…' string`,
      );
    }
  }
}

/** A statement's text, trimmed, without its separating semicolon. */
function withoutSemicolon(text: string): string {
  const trimmed = text.trim();
  return trimmed.endsWith(';') ? trimmed.slice(0, -1).trim() : trimmed;
}

interface RawStatement {
  stmt: unknown;
  location: number;
  length: number;
}

function transactionKind(stmt: unknown): { kind: string; chain: boolean } | null {
  const node = unwrap(stmt);
  if (node?.[0] !== 'TransactionStmt') return null;
  return { kind: str(node[1].kind) ?? '', chain: node[1].chain === true };
}

/**
 * Splits a PostgreSQL script into its statements with the real parser; a script that does not parse is one piece
 * (classifying it then reports the parser's message).
 */
export async function splitPostgres(sql: string): Promise<ScriptStatement[]> {
  await loadPgParser();
  let parsed: unknown;
  try {
    parsed = parseSync(sql);
  } catch {
    return /\S/.test(sql) ? [{ start: 0, end: sql.length, text: sql.trim(), transactionControl: false }] : [];
  }
  const bytes = Buffer.from(sql, 'utf8');
  // Locations are byte offsets; pieces are reported in characters.
  const chars = (byteOffset: number): number => bytes.subarray(0, byteOffset).toString('utf8').length;
  return (isObj(parsed) ? list(parsed.stmts) : []).map((entry) => {
    const item = isObj(entry) ? entry : {};
    const location = typeof item.stmt_location === 'number' ? item.stmt_location : 0;
    const length = typeof item.stmt_len === 'number' && item.stmt_len > 0 ? item.stmt_len : bytes.length - location;
    const raw = bytes.subarray(location, location + length).toString('utf8');
    const text = raw.trim();
    const from = chars(location);
    const end = from + raw.trimEnd().length;
    return { start: from + leadingCommentLength(raw), end, text, transactionControl: transactionKind(item.stmt) !== null };
  });
}

/** Length of the whitespace and comments (`--`, possibly nested block comments) before a statement's first token. */
function leadingCommentLength(text: string): number {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i += 1;
    if (text.startsWith('--', i)) {
      const newline = text.indexOf('\n', i);
      i = newline < 0 ? text.length : newline + 1;
    } else if (text.startsWith('/*', i)) {
      let depth = 0;
      while (i < text.length) {
        if (text.startsWith('/*', i)) [depth, i] = [depth + 1, i + 2];
        else if (text.startsWith('*/', i)) [depth, i] = [depth - 1, i + 2];
        else i += 1;
        if (depth === 0) break;
      }
    } else {
      return i;
    }
  }
}

/** Classifies one PostgreSQL submission, or throws SqlRejected. */
export async function classifyPostgres(sql: string): Promise<Classification> {
  if (!/\S/.test(sql)) throw new SqlRejected('EMPTY', 'the query is empty');
  if (sql.includes('\u0000')) throw new SqlRejected('PARSE_ERROR', 'the query contains a NUL character');
  if (!pgParserLoaded()) await loadPgParser();
  let parsed: unknown;
  try {
    parsed = parseSync(sql);
  } catch (error) {
    throw new SqlRejected('PARSE_ERROR', `syntax error: ${error instanceof Error ? error.message : String(error)}`);
  }
  const raw: RawStatement[] = (isObj(parsed) ? list(parsed.stmts) : []).map((entry) => {
    const item = isObj(entry) ? entry : {};
    return {
      stmt: item.stmt,
      location: typeof item.stmt_location === 'number' ? item.stmt_location : 0,
      length: typeof item.stmt_len === 'number' ? item.stmt_len : 0,
    };
  });
  if (raw.length === 0) throw new SqlRejected('EMPTY', 'the query contains only comments');
  rejectAmbiguousLiterals(sql);

  // Statement locations are byte offsets into the UTF-8 text.
  let bytes: Buffer | undefined;
  const text = (statement: RawStatement): string => {
    bytes ??= Buffer.from(sql, 'utf8');
    return withoutSemicolon(bytes.subarray(statement.location, statement.length > 0 ? statement.location + statement.length : bytes.length).toString('utf8'));
  };

  const [first] = raw;
  if (raw.length === 1 && first !== undefined) {
    // The whole submission is the statement (the common case): no byte offsets to translate.
    const whole = first.location === 0 && first.length === 0;
    return combine([classifyStatement(first.stmt, whole ? withoutSemicolon(sql) : text(first))], false);
  }

  const begin = transactionKind(first?.stmt);
  if (begin === null || (begin.kind !== 'TRANS_STMT_BEGIN' && begin.kind !== 'TRANS_STMT_START')) {
    throw new SqlRejected(
      'MULTIPLE_STATEMENTS',
      `submit one statement at a time (found ${raw.length}); several INSERT/UPDATE/DELETE statements may be wrapped in BEGIN … COMMIT`,
    );
  }
  const last = raw.at(-1);
  const commit = transactionKind(last?.stmt);
  if (commit === null || commit.kind !== 'TRANS_STMT_COMMIT' || commit.chain) {
    throw new SqlRejected('MIXED_TRANSACTION', 'a transaction must end with COMMIT (or END)');
  }
  const inner = raw.slice(1, -1);
  for (const statement of inner) {
    const node = unwrap(statement.stmt);
    if (node?.[0] === 'TransactionStmt') {
      throw new SqlRejected(
        'MIXED_TRANSACTION',
        `${statementName(node[0], node[1])} is not allowed inside a transaction batch`,
      );
    }
  }
  const statements = inner.map((statement) => classifyStatement(statement.stmt, text(statement)));
  checkBatch(statements);
  return combine(statements, true);
}

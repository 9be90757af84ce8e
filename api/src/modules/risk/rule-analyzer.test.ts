import { describe, expect, it } from 'vitest';
import {
  analyzeWithRules,
  levelForScore,
  RISK_RULES,
  stripLiteralsAndComments,
  TAG_WEIGHTS,
  type RiskAnalysis,
  type RuleClassification,
  type RuleContext,
  type RuleStatement,
  type RuleStatementType,
  type RuleTableRef,
} from './rule-analyzer.ts';

const t = (name: string, schema: string | null = null): RuleTableRef => ({ schema, name });

interface Case {
  sql: string;
  type?: RuleStatementType;
  readOnly?: boolean;
  hasWhere?: boolean;
  hasLimit?: boolean;
  transactional?: boolean;
  tables?: RuleTableRef[];
  statements?: RuleStatement[];
  classifiedTables?: Record<string, string[]>;
  classifiedColumns?: string[];
  restricted?: string[];
}

function analyze(c: Case): RiskAnalysis {
  const type = c.type ?? 'SELECT';
  const classification: RuleClassification = {
    type,
    readOnly: c.readOnly ?? type === 'SELECT',
    hasWhere: c.hasWhere ?? false,
    hasLimit: c.hasLimit ?? false,
    transactional: c.transactional ?? false,
    tables: c.tables ?? [],
    statements: c.statements ?? [],
  };
  const context: RuleContext = {
    sql: c.sql,
    classifiedTables: new Map(Object.entries(c.classifiedTables ?? {})),
    classifiedColumns: new Set(c.classifiedColumns ?? []),
    restrictedColumnsTouched: c.restricted ?? [],
  };
  return analyzeWithRules(classification, context);
}
const codes = (analysis: RiskAnalysis): string[] => analysis.issues.map((issue) => issue.code);
const stmt = (type: RuleStatementType, text: string, hasWhere = false, hasLimit = false): RuleStatement => ({ type, text, hasWhere, hasLimit });

describe('level bands', () => {
  it.each([
    [0, 'LOW'],
    [24, 'LOW'],
    [25, 'MEDIUM'],
    [49, 'MEDIUM'],
    [50, 'HIGH'],
    [79, 'HIGH'],
    [80, 'CRITICAL'],
    [100, 'CRITICAL'],
  ] as const)('%i → %s', (score, level) => {
    expect(levelForScore(score)).toBe(level);
  });
});

describe('the rule table', () => {
  it('keeps every weight within 0–100 and base ≤ max', () => {
    for (const rule of Object.values(RISK_RULES)) {
      expect(rule.base).toBeGreaterThanOrEqual(0);
      expect(rule.base).toBeLessThanOrEqual(rule.max);
      expect(rule.max).toBeLessThanOrEqual(100);
    }
    expect(TAG_WEIGHTS['PCI']).toBeGreaterThan(TAG_WEIGHTS['PII']!);
    expect(TAG_WEIGHTS['PHI']).toBeGreaterThan(TAG_WEIGHTS['PII']!);
  });
});

describe('reads', () => {
  it('scores a bounded, explicit read of ordinary data 0 / LOW with no issues', () => {
    const analysis = analyze({ sql: 'SELECT id, name FROM public.products WHERE id = 1 LIMIT 10', hasLimit: true, hasWhere: true, tables: [t('products', 'public')] });
    expect(analysis).toEqual({ score: 0, level: 'LOW', issues: [], summary: 'LOW risk (score 0/100): no risk factors found.', analyzer: 'rules' });
  });

  it('flags a read without LIMIT lightly', () => {
    const analysis = analyze({ sql: 'SELECT id FROM products', tables: [t('products')] });
    expect(codes(analysis)).toEqual(['READ_WITHOUT_LIMIT']);
    expect(analysis.score).toBe(RISK_RULES.READ_WITHOUT_LIMIT.base);
    expect(analysis.level).toBe('LOW');
    expect(analysis.issues[0]?.severity).toBe('INFO');
    expect(analysis.issues[0]?.suggestion).toMatch(/LIMIT/);
  });

  it.each([
    'SELECT * FROM products LIMIT 5',
    'select distinct * from products limit 5',
    'SELECT p.* FROM products p LIMIT 5',
    'SELECT id, * FROM products LIMIT 5',
    'SELECT "P".* FROM products "P" LIMIT 5',
    'SELECT\n*\nFROM products LIMIT 5',
  ])('flags SELECT * in %j', (sql) => {
    const analysis = analyze({ sql, hasLimit: true, tables: [t('products')] });
    expect(codes(analysis)).toEqual(['SELECT_STAR']);
    expect(analysis.score).toBe(RISK_RULES.SELECT_STAR.base);
  });

  it.each([
    "SELECT 'select * from x' AS q FROM products LIMIT 5",
    'SELECT count(*) FROM products LIMIT 5',
    'SELECT a * b FROM products LIMIT 5',
    '-- select * from products\nSELECT id FROM products LIMIT 5',
    '/* select * /* nested */ from */ SELECT id FROM products LIMIT 5',
    'SELECT $$select *$$ FROM products LIMIT 5',
    "SELECT E'it\\'s select * ' FROM products LIMIT 5",
    'SELECT id FROM products p WHERE EXISTS (SELECT * FROM orders o WHERE o.pid = p.id) LIMIT 5',
  ])('does not flag SELECT * in %j', (sql) => {
    expect(codes(analyze({ sql, hasLimit: true, tables: [t('products')] }))).toEqual([]);
  });

  it('flags a locking read (FOR UPDATE) and a SELECT that is not read-only', () => {
    const forUpdate = analyze({ sql: 'SELECT id FROM accounts WHERE id = 1 FOR UPDATE', readOnly: false, hasWhere: true, hasLimit: true, tables: [t('accounts')] });
    expect(codes(forUpdate)).toEqual(['LOCKING_READ']);
    expect(forUpdate.issues[0]?.severity).toBe('WARNING');
    expect(forUpdate.score).toBe(RISK_RULES.LOCKING_READ.base);

    const sideEffects = analyze({ sql: "SELECT nextval('s')", readOnly: false, hasLimit: true });
    expect(codes(sideEffects)).toEqual(['LOCKING_READ']);

    const share = analyze({
      sql: 'SELECT id FROM a FOR SHARE',
      hasLimit: true,
      statements: [stmt('SELECT', 'SELECT id FROM a FOR SHARE', false, true)],
      tables: [t('a')],
    });
    expect(codes(share)).toEqual(['LOCKING_READ']);

    // per-statement readOnly, inside a batch whose overall type is a write
    const statements = [{ ...stmt('SELECT', "SELECT pg_advisory_lock(1)", false, true), readOnly: false }, stmt('UPDATE', 'UPDATE a SET x = 1 WHERE id = 1', true)];
    const batch = analyze({ sql: statements.map((s) => s.text).join('; '), type: 'UPDATE', readOnly: false, transactional: true, statements, tables: [t('a')] });
    expect(codes(batch)).toEqual(['LOCKING_READ', 'WRITE', 'MULTI_STATEMENT']);
  });

  it('flags many tables / joins, growing with the count', () => {
    const three = analyze({ sql: 'SELECT 1 FROM a JOIN b ON true JOIN c ON true LIMIT 1', hasLimit: true, tables: [t('a'), t('b'), t('c')] });
    expect(codes(three)).toEqual([]);

    const four = analyze({ sql: 'SELECT 1 FROM a JOIN b ON true JOIN c ON true JOIN d ON true LIMIT 1', hasLimit: true, tables: [t('a'), t('b'), t('c'), t('d')] });
    expect(codes(four)).toEqual(['MANY_TABLES']);
    expect(four.score).toBe(RISK_RULES.MANY_TABLES.base);

    // a self-join counts as several relations even though it names one table
    const selfJoins = analyze({ sql: 'SELECT 1 FROM a x JOIN a y ON true JOIN a z ON true LEFT JOIN a w ON true LIMIT 1', hasLimit: true, tables: [t('a')] });
    expect(codes(selfJoins)).toEqual(['MANY_TABLES']);

    const six = analyze({ sql: 'SELECT 1 FROM a, b, c, d, e, f LIMIT 1', hasLimit: true, tables: ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => t(name)) });
    expect(six.score).toBe(RISK_RULES.MANY_TABLES.base + 2 * RISK_RULES.MANY_TABLES.perExtra);

    const lots = analyze({ sql: 'SELECT 1', hasLimit: true, tables: Array.from({ length: 30 }, (_, i) => t(`t${i}`)) });
    expect(lots.score).toBe(RISK_RULES.MANY_TABLES.max);
  });
});

describe('writes', () => {
  it('scores a filtered UPDATE as a MEDIUM data change', () => {
    const analysis = analyze({ sql: 'UPDATE users SET name = $1 WHERE id = $2', type: 'UPDATE', readOnly: false, hasWhere: true, tables: [t('users')] });
    expect(codes(analysis)).toEqual(['WRITE']);
    expect(analysis.score).toBe(25);
    expect(analysis.level).toBe('MEDIUM');
  });

  it('scores an INSERT as a data change', () => {
    const analysis = analyze({ sql: "INSERT INTO logs (msg) VALUES ('delete from logs')", type: 'INSERT', readOnly: false, tables: [t('logs')] });
    expect(codes(analysis)).toEqual(['WRITE']);
    expect(analysis.level).toBe('MEDIUM');
  });

  it.each(['UPDATE', 'DELETE'] as const)('makes %s without WHERE CRITICAL', (type) => {
    const sql = type === 'UPDATE' ? 'UPDATE users SET active = false' : 'DELETE FROM users';
    const analysis = analyze({ sql, type, readOnly: false, hasWhere: false, tables: [t('users')] });
    expect(codes(analysis)).toEqual(['WRITE_WITHOUT_WHERE', 'WRITE']);
    expect(analysis.issues[0]?.severity).toBe('CRITICAL');
    expect(analysis.issues[0]?.message).toContain(type);
    expect(analysis.score).toBe(RISK_RULES.WRITE_WITHOUT_WHERE.base + RISK_RULES.WRITE.base);
    expect(analysis.level).toBe('CRITICAL');
  });

  it.each(['DELETE FROM users WHERE true', 'DELETE FROM users WHERE 1=1', 'DELETE FROM users WHERE 1 = 1 RETURNING id', 'delete from users where 1;'])(
    'treats a trivially true WHERE as none: %j',
    (sql) => {
      expect(codes(analyze({ sql, type: 'DELETE', readOnly: false, hasWhere: true, tables: [t('users')] }))).toContain('WRITE_WITHOUT_WHERE');
    },
  );

  it('does not mistake a real filter for a trivial one', () => {
    const analysis = analyze({ sql: 'DELETE FROM users WHERE 1 = 1 AND id = 5', type: 'DELETE', readOnly: false, hasWhere: true, tables: [t('users')] });
    expect(codes(analysis)).toEqual(['WRITE']);
  });
});

describe('DDL', () => {
  const ddl = (sql: string, tables: RuleTableRef[] = [t('users')]): RiskAnalysis => analyze({ sql, type: 'DDL', readOnly: false, tables });

  it.each(['DROP TABLE users', 'drop index users_email_idx', '  TRUNCATE users', '/* cleanup */ DROP SCHEMA old CASCADE'])('makes %j CRITICAL', (sql) => {
    const analysis = ddl(sql);
    expect(codes(analysis)).toEqual(['DDL_DESTRUCTIVE']);
    expect(analysis.issues[0]?.severity).toBe('CRITICAL');
    expect(analysis.level).toBe('CRITICAL');
  });

  it('treats TRUNCATE as destructive whatever type the classifier gave it', () => {
    const analysis = analyze({ sql: 'TRUNCATE users', type: 'DELETE', readOnly: false, tables: [t('users')] });
    expect(codes(analysis)).toEqual(['DDL_DESTRUCTIVE']);
  });

  it.each([
    'ALTER TABLE users DROP COLUMN ssn',
    'ALTER TABLE users DROP ssn',
    'ALTER TABLE users RENAME COLUMN a TO b',
    'ALTER TABLE users RENAME TO people',
    'ALTER TABLE users ALTER COLUMN age TYPE bigint',
    'ALTER TABLE users ALTER age SET DATA TYPE text',
    'ALTER TABLE users MODIFY age bigint',
    'ALTER TABLE users CHANGE old_name new_name int',
  ])('weighs a destructive ALTER (%j) between plain DDL and DROP', (sql) => {
    const analysis = ddl(sql);
    expect(codes(analysis)).toEqual(['DDL_ALTER_DESTRUCTIVE']);
    expect(analysis.level).toBe('HIGH');
  });

  it.each([
    'CREATE TABLE t (id int)',
    'CREATE INDEX CONCURRENTLY i ON users (email)',
    'ALTER TABLE users ADD COLUMN rename_count int',
    'ALTER TABLE users ALTER COLUMN email DROP NOT NULL',
    'ALTER TABLE users ALTER COLUMN email DROP DEFAULT',
    "COMMENT ON TABLE users IS 'drop me'",
  ])('scores additive DDL (%j) MEDIUM', (sql) => {
    const analysis = ddl(sql);
    expect(codes(analysis)).toEqual(['DDL_SCHEMA_CHANGE']);
    expect(analysis.level).toBe('MEDIUM');
  });

  it('orders DROP > destructive ALTER > CREATE', () => {
    const drop = ddl('DROP TABLE users').score;
    const alter = ddl('ALTER TABLE users DROP COLUMN ssn').score;
    const create = ddl('CREATE TABLE t (id int)').score;
    expect(drop).toBeGreaterThan(alter);
    expect(alter).toBeGreaterThan(create);
  });
});

describe('batches', () => {
  it('flags multi-statement transactional batches, growing with the statement count', () => {
    const statements = [stmt('INSERT', 'INSERT INTO a VALUES (1)'), stmt('UPDATE', 'UPDATE b SET x = 1 WHERE id = 1', true)];
    const two = analyze({ sql: statements.map((s) => s.text).join('; '), type: 'UPDATE', readOnly: false, transactional: true, statements, tables: [t('a'), t('b')] });
    expect(codes(two)).toEqual(['WRITE', 'MULTI_STATEMENT']);
    expect(two.issues.find((issue) => issue.code === 'MULTI_STATEMENT')?.message).toBe('Runs 2 statements in one transaction.');
    expect(two.score).toBe(RISK_RULES.WRITE.base + RISK_RULES.WRITE.perExtra + RISK_RULES.MULTI_STATEMENT.base);

    const five = Array.from({ length: 5 }, (_, i) => stmt('INSERT', `INSERT INTO a VALUES (${i})`));
    const batch = analyze({ sql: five.map((s) => s.text).join('; '), type: 'INSERT', readOnly: false, transactional: true, statements: five, tables: [t('a')] });
    expect(batch.score).toBe(
      Math.min(RISK_RULES.WRITE.max, RISK_RULES.WRITE.base + 4 * RISK_RULES.WRITE.perExtra) + RISK_RULES.MULTI_STATEMENT.base + 3 * RISK_RULES.MULTI_STATEMENT.perExtra,
    );
  });

  it('judges each statement of a batch on its own', () => {
    const statements = [stmt('SELECT', 'SELECT id FROM a LIMIT 1', false, true), stmt('DELETE', 'DELETE FROM b'), stmt('DDL', 'DROP TABLE c')];
    const analysis = analyze({ sql: statements.map((s) => s.text).join(';\n'), type: 'DELETE', readOnly: false, transactional: true, statements, tables: [t('a'), t('b'), t('c')] });
    expect(codes(analysis)).toEqual(['WRITE_WITHOUT_WHERE', 'DDL_DESTRUCTIVE', 'WRITE', 'MULTI_STATEMENT']);
    expect(analysis.score).toBe(100); // clamped
    expect(analysis.level).toBe('CRITICAL');
  });

  it('counts two unfiltered writes in one issue with a larger weight', () => {
    const statements = [stmt('DELETE', 'DELETE FROM a'), stmt('UPDATE', 'UPDATE b SET x = 1')];
    const analysis = analyze({ sql: 'DELETE FROM a; UPDATE b SET x = 1', type: 'DELETE', readOnly: false, transactional: true, statements, tables: [t('a'), t('b')] });
    const issue = analysis.issues.find((i) => i.code === 'WRITE_WITHOUT_WHERE');
    expect(issue?.message).toBe('DELETE/UPDATE without a (restrictive) WHERE clause changes every row of the table (2 statements).');
    expect(analysis.score).toBe(100);
  });
});

describe('data classification', () => {
  const read = (sql: string, tables: RuleTableRef[], extra: Partial<Case> = {}): RiskAnalysis => analyze({ sql, hasLimit: true, tables, ...extra });

  it('flags classified tables, PCI/PHI heavier than PII', () => {
    const pii = read('SELECT id FROM users LIMIT 1', [t('users', 'public')], { classifiedTables: { 'public.users': ['PII', 'GDPR'] } });
    expect(codes(pii)).toEqual(['CLASSIFIED_TABLE']);
    expect(pii.issues[0]?.message).toBe('Touches classified data: public.users (GDPR, PII).');
    expect(pii.score).toBe(TAG_WEIGHTS['PII']);

    const pci = read('SELECT id FROM cards LIMIT 1', [t('cards')], { classifiedTables: { cards: ['PCI'] } });
    const phi = read('SELECT id FROM charts LIMIT 1', [t('charts')], { classifiedTables: { charts: ['phi'] } });
    expect(pci.score).toBe(TAG_WEIGHTS['PCI']);
    expect(phi.score).toBe(TAG_WEIGHTS['PHI']);
    expect(pci.score).toBeGreaterThan(pii.score);
    expect(pci.level).toBe('MEDIUM');
  });

  it('adds weight for each further classified table, up to the cap', () => {
    const classifiedTables = { a: ['PII'], b: ['PCI'], c: ['SENSITIVE'] };
    const analysis = read('SELECT 1 FROM a, b, c LIMIT 1', [t('a'), t('b'), t('c')], { classifiedTables });
    expect(analysis.score).toBe(TAG_WEIGHTS['PCI']! + 2 * RISK_RULES.CLASSIFIED_TABLE.perExtra);
  });

  it('matches schema-qualified and unqualified classifications', () => {
    // query names the schema, classification does not
    expect(codes(read('SELECT id FROM s.users LIMIT 1', [t('users', 's')], { classifiedTables: { users: ['PII'] } }))).toEqual(['CLASSIFIED_TABLE']);
    // query omits the schema, classification names one
    expect(codes(read('SELECT id FROM users LIMIT 1', [t('users')], { classifiedTables: { 'public.users': ['PII'] } }))).toEqual(['CLASSIFIED_TABLE']);
    // another schema's table of the same name is not this one
    expect(codes(read('SELECT id FROM s.users LIMIT 1', [t('users', 's')], { classifiedTables: { 'other.users': ['PII'] } }))).toEqual([]);
    // case-insensitive
    expect(codes(read('SELECT id FROM "Users" LIMIT 1', [t('Users', 'Public')], { classifiedTables: { 'public.users': ['PII'] } }))).toEqual(['CLASSIFIED_TABLE']);
  });

  it('flags classified columns the query names', () => {
    const classifiedColumns = ['public.users.ssn', 'users.email', 'orders.card_number', 'salary'];
    const analysis = read('SELECT u.id, u.ssn, u.email FROM public.users u LIMIT 1', [t('users', 'public')], { classifiedColumns });
    expect(codes(analysis)).toEqual(['CLASSIFIED_COLUMN']);
    expect(analysis.issues[0]?.message).toBe('Reads or writes classified columns: public.users.ssn, users.email.');
    expect(analysis.score).toBe(RISK_RULES.CLASSIFIED_COLUMN.base + RISK_RULES.CLASSIFIED_COLUMN.perExtra);

    expect(codes(read('SELECT id FROM public.users LIMIT 1', [t('users', 'public')], { classifiedColumns }))).toEqual([]);
    expect(codes(read("SELECT id FROM users WHERE note = 'ssn' LIMIT 1", [t('users')], { classifiedColumns }))).toEqual([]);
    expect(codes(read('SELECT salary FROM staff LIMIT 1', [t('staff')], { classifiedColumns }))).toEqual(['CLASSIFIED_COLUMN']);
    expect(codes(read('SELECT "SSN" FROM users LIMIT 1', [t('users')], { classifiedColumns }))).toEqual(['CLASSIFIED_COLUMN']);
  });

  it('counts SELECT * on a table with classified columns as touching them', () => {
    const analysis = read('SELECT * FROM users LIMIT 1', [t('users')], { classifiedColumns: ['users.ssn', 'orders.card'] });
    expect(codes(analysis)).toEqual(['CLASSIFIED_COLUMN', 'SELECT_STAR']);
    expect(analysis.issues[0]?.message).toBe('Reads or writes classified columns (directly or through *): users.ssn.');
  });

  it('flags restricted columns as CRITICAL and does not count them twice as classified', () => {
    const analysis = read('SELECT ssn FROM users LIMIT 1', [t('users')], { restricted: ['users.ssn'], classifiedColumns: ['users.ssn'] });
    expect(codes(analysis)).toEqual(['RESTRICTED_COLUMN']);
    expect(analysis.issues[0]?.severity).toBe('CRITICAL');
    expect(analysis.issues[0]?.message).toBe('Touches a column your grant restricts: users.ssn.');
    expect(analysis.score).toBe(RISK_RULES.RESTRICTED_COLUMN.base);

    const two = read('SELECT ssn, dob FROM users LIMIT 1', [t('users')], { restricted: ['users.ssn', 'USERS.DOB', 'users.ssn'] });
    expect(two.score).toBe(RISK_RULES.RESTRICTED_COLUMN.base + RISK_RULES.RESTRICTED_COLUMN.perExtra);
  });
});

describe('the whole analysis', () => {
  it('orders issues by severity, then by the rule table, and summarises them', () => {
    const analysis = analyze({
      sql: 'SELECT * FROM cards c JOIN users u ON u.id = c.user_id',
      tables: [t('cards'), t('users')],
      classifiedTables: { cards: ['PCI'] },
      restricted: ['cards.pan'],
    });
    expect(codes(analysis)).toEqual(['RESTRICTED_COLUMN', 'CLASSIFIED_TABLE', 'SELECT_STAR', 'READ_WITHOUT_LIMIT']);
    expect(analysis.score).toBe(RISK_RULES.RESTRICTED_COLUMN.base + TAG_WEIGHTS['PCI']! + RISK_RULES.SELECT_STAR.base + RISK_RULES.READ_WITHOUT_LIMIT.base);
    expect(analysis.level).toBe('HIGH');
    expect(analysis.summary).toBe('HIGH risk (score 70/100): restricted columns, classified tables, SELECT *, read without LIMIT.');
    expect(analysis.analyzer).toBe('rules');
  });

  it('returns an integer score in 0–100', () => {
    const statements = Array.from({ length: 12 }, () => stmt('DDL', 'DROP TABLE x'));
    const analysis = analyze({ sql: 'DROP TABLE x', type: 'DDL', readOnly: false, transactional: true, statements, restricted: ['a', 'b'], classifiedTables: { x: ['PCI'] }, tables: [t('x')] });
    expect(analysis.score).toBe(100);
    expect(Number.isInteger(analysis.score)).toBe(true);
  });

  it('is deterministic', () => {
    const input: Case = {
      sql: 'SELECT * FROM b JOIN a ON true JOIN c ON true JOIN d ON true',
      tables: [t('b'), t('a'), t('c'), t('d')],
      classifiedTables: { b: ['PII'], a: ['PHI'] },
      classifiedColumns: ['a.x', 'b.y'],
    };
    const first = analyze(input);
    expect(analyze(input)).toEqual(first);
    expect(analyze({ ...input, tables: [...input.tables!].reverse() })).toEqual(first);
    expect(first.issues.find((issue) => issue.code === 'CLASSIFIED_TABLE')?.message).toBe('Touches classified data: a (PHI); b (PII).');
  });

  it('falls back to the SQL text when the classifier gave no statements', () => {
    const analysis = analyze({ sql: 'DROP TABLE users', type: 'DDL', readOnly: false, statements: [], tables: [t('users')] });
    expect(codes(analysis)).toEqual(['DDL_DESTRUCTIVE']);
  });
});

describe('stripLiteralsAndComments', () => {
  it('blanks strings and comments but keeps code and quoted identifiers', () => {
    expect(stripLiteralsAndComments("SELECT 'a''b', \"Col\" -- c\nFROM t /* x */ WHERE y = $tag$ z $tag$")).toBe('SELECT \'\', "Col"  \nFROM t   WHERE y = \'\'');
    expect(stripLiteralsAndComments('SELECT $1, $2')).toBe('SELECT $1, $2');
    expect(stripLiteralsAndComments("SELECT 'unterminated")).toBe("SELECT ''");
  });
});

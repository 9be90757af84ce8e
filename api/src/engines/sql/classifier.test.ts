/**
 * The SQL classifier against the public corpus (`corpus.tsv`, one `it` per case) plus focused tests of table
 * extraction through CTEs and subqueries, identifier normalisation, batches and messages.
 */
import { parseSync } from 'libpg-query';
import { describe, expect, it } from 'vitest';
import { SqlRejected, strongest, type Classification, type TableRef } from './classification.ts';
import { classifyMysql } from './mysql.ts';
import { classifyPostgres } from './postgres.ts';
import { loadCorpus, type CorpusEngine as Engine } from './corpus.ts';
import { loadPgParser } from './pg-parser.ts';

const tableName = (ref: TableRef): string => (ref.schema === null ? ref.name : `${ref.schema}.${ref.name}`);

function normalizeExpected(expected: string): string {
  if (expected.startsWith('REJECT:')) return expected;
  const [type, access, tables = '-'] = expected.split(' ');
  const sorted = tables === '-' ? '-' : tables.split(',').sort().join(',');
  return `${type} ${access} ${sorted}`;
}

function describeResult(result: Classification): string {
  const tables = result.tables.map(tableName).sort().join(',') || '-';
  return `${result.type} ${result.readOnly ? 'read' : 'write'} ${tables}`;
}

async function classify(engine: Engine, sql: string): Promise<Classification> {
  return engine === 'postgresql' ? classifyPostgres(sql) : classifyMysql(sql, engine);
}

async function outcome(engine: Engine, sql: string): Promise<string> {
  try {
    return describeResult(await classify(engine, sql));
  } catch (error) {
    if (error instanceof SqlRejected) return `REJECT:${error.reason}`;
    throw error;
  }
}

async function rejection(engine: Engine, sql: string): Promise<SqlRejected> {
  try {
    await classify(engine, sql);
  } catch (error) {
    if (error instanceof SqlRejected) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(sql)} to be rejected`);
}

const corpus = loadCorpus();

describe('corpus.tsv', () => {
  it('covers every engine with at least 80 cases in all', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(80);
    for (const engine of ['postgresql', 'mysql', 'mariadb'] as const) {
      expect(corpus.filter((c) => c.engine === engine).length).toBeGreaterThan(0);
    }
  });

  it.each(corpus)('$engine: $sql', async ({ engine, sql, expected, line }) => {
    expect(await outcome(engine, sql), `corpus.tsv:${line}`).toBe(normalizeExpected(expected));
  });
});

describe("the parser's AST", () => {
  // The PostgreSQL walk tells a node (`{ Type: body }`) from a bare field object by the first key alone.
  it('nodeKeysAreCapitalised: a capitalised key is a node, alone in its object; field names are never capitalised', async () => {
    await loadPgParser();
    const problems: string[] = [];
    const check = (value: unknown, path: string): void => {
      if (Array.isArray(value)) return value.forEach((item, i) => check(item, `${path}[${i}]`));
      if (typeof value !== 'object' || value === null) return;
      const keys = Object.keys(value);
      const capitalised = keys.filter((key) => /^[A-Z]/.test(key));
      if (capitalised.length > 0 && keys.length !== 1) problems.push(`${path}: ${keys.join(',')}`);
      for (const key of keys) check((value as Record<string, unknown>)[key], `${path}.${key}`);
    };
    let parsed = 0;
    for (const { engine, sql } of corpus) {
      if (engine !== 'postgresql') continue;
      try {
        check(parseSync(sql), sql);
        parsed += 1;
      } catch {
        // Statements the parser refuses have no AST to walk.
      }
    }
    expect(parsed).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });
});

describe('table extraction through CTEs and subqueries', () => {
  it('PostgreSQL: CTE names are excluded only where they are in scope', async () => {
    const result = await classifyPostgres(`
      with a as (select * from base.t1),
           b as (select * from a join a2 on true)          -- a is the CTE, a2 a table
      select *
      from b
      join (with c as (select * from base.t3) select * from c) sub on true
      where exists (select 1 from c)                        -- c is out of scope here: a table
        and b.id in (select id from a)`);
    expect(result.tables.map(tableName).sort()).toEqual(['a2', 'base.t1', 'base.t3', 'c']);
  });

  it('PostgreSQL: a CTE does not hide the table of the same name in its own body, nor qualified names', async () => {
    const result = await classifyPostgres('with t as (select * from t), u as (select * from u) select * from t, public.t, u');
    expect(result.tables).toEqual([
      { schema: null, name: 't' },
      { schema: null, name: 'u' },
      { schema: 'public', name: 't' },
    ]);
  });

  it('PostgreSQL: a recursive CTE sees itself; DML targets are always tables', async () => {
    const recursive = await classifyPostgres(
      'with recursive tree as (select id from nodes where parent is null union all select n.id from nodes n join tree on n.parent = tree.id) select * from tree',
    );
    expect(recursive.tables).toEqual([{ schema: null, name: 'nodes' }]);
    const write = await classifyPostgres('with t as (select 1) update t set a = 1 where id in (select * from t)');
    expect(write.tables).toEqual([{ schema: null, name: 't' }]);
  });

  it('PostgreSQL: tables in joins, lateral subqueries, scalar subqueries and data-modifying CTEs', async () => {
    const result = await classifyPostgres(`
      with moved as (delete from queue.jobs where done returning *)
      insert into archive.jobs
      select m.*, (select name from people p where p.id = m.owner)
      from moved m left join lateral (select * from stats s where s.job = m.id) x on true`);
    expect(result.type).toBe('DELETE');
    expect(result.hasWhere).toBe(true);
    expect(result.tables.map(tableName).sort()).toEqual(['archive.jobs', 'people', 'queue.jobs', 'stats']);
  });

  it('MySQL: CTE scoping, derived tables, nested joins', () => {
    const result = classifyMysql(
      'with a as (select * from Base.T1), b as (select * from a join a2 on 1) select * from b join (select * from x join y on x.id = y.id) d on 1 left join (p cross join q) on 1 where exists (select 1 from c)',
      'mysql',
    );
    expect(result.tables.map(tableName).sort()).toEqual(['a2', 'base.t1', 'c', 'p', 'q', 'x', 'y']);
  });

  it('MySQL: a CTE name only matches when written exactly (table names may be case-sensitive)', () => {
    expect(classifyMysql('with x as (select 1) select * from x', 'mysql').tables).toEqual([]);
    expect(classifyMysql('with x as (select 1) select * from X', 'mysql').tables).toEqual([{ schema: null, name: 'x' }]);
    expect(classifyMysql('with t as (select * from t) select * from t', 'mysql').tables).toEqual([{ schema: null, name: 't' }]);
  });

  it('MySQL: multi-table DELETE targets resolve aliases', () => {
    const result = classifyMysql('delete a, b from t1 as a join t2 as b on a.id = b.id join t3 on t3.id = a.id where t3.x = 1', 'mysql');
    expect(result.tables.map(tableName).sort()).toEqual(['t1', 't2', 't3']);
  });
});

describe('normalization', () => {
  it('PostgreSQL folds unquoted identifiers and keeps quoted ones', async () => {
    const result = await classifyPostgres('select * from "Public".T join public.t on true join PUBLIC."T" on true');
    expect(result.tables).toEqual([
      { schema: 'Public', name: 't' },
      { schema: 'public', name: 't' },
      { schema: 'public', name: 'T' },
    ]);
  });

  it('MySQL and MariaDB return lower case, so backticks and case cannot dodge a schema rule', () => {
    for (const dialect of ['mysql', 'mariadb'] as const) {
      const result = classifyMysql('select * from `Secret`.`T` join SECRET.t using (id) join secret.T using (id)', dialect);
      expect(result.tables).toEqual([{ schema: 'secret', name: 't' }]);
    }
  });
});

describe('statements, batches and flags', () => {
  it('reports each statement of a batch with its own text (multi-byte text included)', async () => {
    const result = await classifyPostgres("BEGIN;\n  insert into t values ('héllo');\n  delete from u where id = 1;\nCOMMIT;");
    expect(result.transactional).toBe(true);
    expect(result.type).toBe('DELETE');
    expect(result.statements.map((s) => [s.type, s.text])).toEqual([
      ['INSERT', "insert into t values ('héllo')"],
      ['DELETE', 'delete from u where id = 1'],
    ]);
    expect(result.hasWhere).toBe(true);

    const mysql = classifyMysql("start transaction;\ninsert into t values ('é;');\nupdate u set a = 1; commit", 'mysql');
    expect(mysql.statements.map((s) => s.text)).toEqual(["insert into t values ('é;')", 'update u set a = 1']);
    expect(mysql.hasWhere).toBe(false);
  });

  it('hasWhere and hasLimit', async () => {
    const read = await classifyPostgres('select * from t where a = 1 limit 5');
    expect([read.hasWhere, read.hasLimit, read.readOnly, read.transactional]).toEqual([true, true, true, false]);
    const all = await classifyPostgres('select * from t limit all');
    expect(all.hasLimit).toBe(false);
    const fetch = await classifyPostgres('select * from t fetch first 3 rows only');
    expect(fetch.hasLimit).toBe(true);
    const hiddenDelete = await classifyPostgres('with d as (delete from t returning *) select * from d where id = 1');
    expect([hiddenDelete.type, hiddenDelete.hasWhere]).toEqual(['DELETE', false]);
    const mysqlDelete = classifyMysql('delete from t where id < 10 order by id limit 5', 'mysql');
    expect([mysqlDelete.hasWhere, mysqlDelete.hasLimit]).toEqual([true, true]);
    const union = classifyMysql('select a from t where a = 1 union select a from u limit 3', 'mysql');
    expect([union.hasWhere, union.hasLimit]).toEqual([false, true]);
  });

  it('strongest type: DDL > DELETE > UPDATE > INSERT > SELECT', () => {
    expect(strongest(['SELECT', 'INSERT'])).toBe('INSERT');
    expect(strongest(['UPDATE', 'DELETE', 'INSERT'])).toBe('DELETE');
    expect(strongest(['DELETE', 'DDL'])).toBe('DDL');
    expect(strongest([])).toBe('SELECT');
  });
});

describe('rejections', () => {
  it('carry the parser message for PARSE_ERROR', async () => {
    const pg = await rejection('postgresql', 'selec 1');
    expect(pg.reason).toBe('PARSE_ERROR');
    expect(pg.message).toContain('syntax error at or near "selec"');
    const my = await rejection('mysql', 'selec 1');
    expect(my.reason).toBe('PARSE_ERROR');
    expect(my.message).toMatch(/Expected/);
  });

  it('name the unsupported statement and the unsafe function', async () => {
    expect((await rejection('postgresql', 'vacuum t')).message).toMatch(/^VACUUM /);
    expect((await rejection('postgresql', 'set role admin')).message).toMatch(/^SET ROLE /);
    expect((await rejection('mysql', 'handler t open')).message).toMatch(/^HANDLER /);
    expect((await rejection('postgresql', 'select pg_catalog.pg_sleep(1)')).message).toContain('pg_catalog.pg_sleep');
  });

  it('are SqlRejected errors', async () => {
    const error = await rejection('postgresql', '');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SqlRejected');
    expect(error.reason).toBe('EMPTY');
  });

  it('refuse NUL characters, which would truncate the text for the parser', async () => {
    expect((await rejection('postgresql', 'select 1\u0000; drop table t')).reason).toBe('PARSE_ERROR');
    expect((await rejection('mysql', 'select 1\u0000; drop table t')).reason).toBe('PARSE_ERROR');
  });
});

/** Placeholders found by the engines' own lexers and bound as literals the classifier sees. */
import { describe, expect, it } from 'vitest';
import type { DbType } from '../../engines/engine.ts';
import { ValidationError } from '../../errors.ts';
import { classify } from '../requests/classify.ts';
import { bindPlaceholders, findPlaceholders, placeholderNames, sqlLiteral } from './placeholders.ts';

const names = async (dbType: DbType, sql: string) => placeholderNames(await findPlaceholders(dbType, sql));

describe('finding placeholders', () => {
  it('PostgreSQL: skips casts, :=, strings, dollar quotes, quoted identifiers, comments and array slices', async () => {
    const sql = `select a::int, b[1:n], "x:y", ':s', $$:d$$, E'\\':e' /* :c */ from t where id = :id and (x=:x1 or y = :id) -- :line\n and z = :Limit`;
    expect(await names('POSTGRESQL', sql)).toEqual(['id', 'x1', 'Limit']);
    expect(await findPlaceholders('POSTGRESQL', 'select :a')).toEqual([{ name: 'a', start: 7, end: 9 }]);
  });

  it('MySQL: skips strings with backslash escapes, backticks, # and -- comments', async () => {
    const sql = "select `a:b`, 'it\\'s :x', \"q:y\" # :c\nfrom t where id = :id -- :d\n and v in (:v1, :v2)";
    expect(await names('MYSQL', sql)).toEqual(['id', 'v1', 'v2']);
  });

  it('refuses a body the lexer cannot read', async () => {
    await expect(findPlaceholders('MYSQL', "select 'unterminated")).rejects.toBeInstanceOf(ValidationError);
    await expect(findPlaceholders('POSTGRESQL', 'select $$ unterminated')).rejects.toThrow(/body: cannot be read as PostgreSQL/);
  });
});

describe('binding', () => {
  it('renders literals per engine', () => {
    expect(sqlLiteral('POSTGRESQL', "O'Brien")).toBe("'O''Brien'");
    expect(sqlLiteral('POSTGRESQL', 'a\\b')).toBe("E'a\\\\b'");
    expect(sqlLiteral('MYSQL', "a\\'b")).toBe("'a\\\\''b'");
    expect([sqlLiteral('MYSQL', 42), sqlLiteral('MYSQL', -3), sqlLiteral('MYSQL', 1.5), sqlLiteral('MYSQL', true), sqlLiteral('MYSQL', null)]).toEqual(['42', '(-3)', '1.5', 'TRUE', 'NULL']);
  });

  it('binds every occurrence and leaves the rest of the text alone', async () => {
    const bound = await bindPlaceholders('POSTGRESQL', 'select * from orders where id = :id or parent = :id and note = \':id\'', { id: 7 });
    expect(bound).toBe("select * from orders where id = 7 or parent = 7 and note = ':id'");
  });

  it('refuses unbound and unknown placeholders and non-scalar values, naming each', async () => {
    const refusal = async (params: Record<string, unknown>) => {
      try {
        await bindPlaceholders('POSTGRESQL', 'select * from t where a = :a and b = :b', params);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).issues.map((i) => i.path);
      }
      throw new Error('bound');
    };
    expect(await refusal({ a: 1 })).toEqual(['parameters.b']);
    expect(await refusal({ a: 1, b: 2, c: 3 })).toEqual(['parameters.c']);
    expect(await refusal({ a: [1, 2], b: { x: 1 } })).toEqual(['parameters.a', 'parameters.b']);
    expect(await refusal({ a: Number.NaN, b: 'x\u0000' })).toEqual(['parameters.a', 'parameters.b']);
  });

  it('keeps hostile values inside one literal the classifier sees, on both engines', async () => {
    const hostile = ["'; drop table orders; --", "x' or '1'='1", "\\'; delete from orders; --", '$$; drop table orders; $$', '*/ drop table orders /*'];
    for (const dbType of ['POSTGRESQL', 'MYSQL'] as const) {
      for (const value of hostile) {
        const sql = await bindPlaceholders(dbType, 'select id from orders where note = :note', { note: value });
        let classification;
        try {
          classification = await classify(dbType, sql);
        } catch (error) {
          // Refusing is safe too: MySQL refuses text that reads differently under NO_BACKSLASH_ESCAPES.
          if (dbType === 'POSTGRESQL') throw error;
          expect((error as { reason?: string }).reason, `${dbType} ${value}`).toBeDefined();
          continue;
        }
        expect(classification, `${dbType} ${value}: ${sql}`).toMatchObject({ type: 'SELECT', readOnly: true, tables: [{ name: 'orders' }], statements: [{}] });
      }
    }
    // A negative number after a minus sign stays arithmetic, not a comment.
    const minus = await bindPlaceholders('POSTGRESQL', 'select id from orders where id = 10 -:n', { n: -1 });
    expect(minus).toBe('select id from orders where id = 10 -(-1)');
    expect(await classify('POSTGRESQL', minus)).toMatchObject({ type: 'SELECT', hasWhere: true });
  });

  it('never produces an identifier: a placeholder in a table position does not parse', async () => {
    const sql = await bindPlaceholders('POSTGRESQL', 'select * from :table', { table: 'orders' });
    expect(sql).toBe("select * from 'orders'");
    await expect(classify('POSTGRESQL', sql)).rejects.toMatchObject({ reason: 'PARSE_ERROR' });
  });
});

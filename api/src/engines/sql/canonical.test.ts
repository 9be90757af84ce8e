/** Canonical SQL: the same statement written differently is one text; a different literal or name is another. */
import { expect, it } from 'vitest';
import { canonicalSql } from './canonical.ts';

it('prints PostgreSQL statements from their parse tree: case, spacing, comments and parentheses go, literals stay', async () => {
  const a = await canonicalSql('POSTGRESQL', 'select id, tier from accounts where (id <= 3) order by id');
  const b = await canonicalSql('POSTGRESQL', 'SELECT id,tier\n  FROM accounts -- note\n WHERE id <= 3 ORDER BY id;');
  expect(a).toBe(b);
  expect(await canonicalSql('POSTGRESQL', 'select id from accounts where id <= 4')).not.toBe(await canonicalSql('POSTGRESQL', 'select id from accounts where id <= 3'));
  expect(await canonicalSql('POSTGRESQL', "select 'a  b'")).toContain("'a  b'");
});

it('drops MySQL comments and collapses spacing outside strings and quoted names, keeping identifier case', async () => {
  const a = await canonicalSql('MARIADB', "select id,  name from `Orders`  where note = 'a  b' # trailing\n;");
  expect(a).toBe("select id, name from `Orders` where note = 'a  b'");
  expect(await canonicalSql('MARIADB', 'select /* x */ id from t')).toBe(await canonicalSql('MARIADB', 'select  id\nfrom t'));
  expect(await canonicalSql('MYSQL', 'select id from T')).not.toBe(await canonicalSql('MYSQL', 'select id from t'));
});

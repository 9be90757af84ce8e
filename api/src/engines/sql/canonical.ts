/**
 * Canonical SQL: one text for every way of writing the same statement, so a repeated run can be found and its
 * result compared with the previous one. PostgreSQL: the parse tree printed again (case, spacing, comments and
 * redundant parentheses disappear; literals stay). MySQL/MariaDB: the text without comments, whitespace collapsed
 * outside strings and quoted names (identifier case is kept, since table names may be case-sensitive there).
 */
import { parseSync } from 'libpg-query';
import { loadPgParser } from './pg-parser.ts';
import { deparseSync } from 'pgsql-deparser';
import { lexMysql } from './mysql-lexer.ts';
import { isObj, list } from './pg-ast.ts';

export async function canonicalSql(dbType: 'POSTGRESQL' | 'MYSQL' | 'MARIADB', sql: string): Promise<string> {
  if (dbType === 'POSTGRESQL') {
    await loadPgParser();
    const statements = list((parseSync(sql) as Record<string, unknown>).stmts).map((entry) => (isObj(entry) ? entry.stmt : undefined));
    return statements.map((stmt) => deparseSync(stmt as Parameters<typeof deparseSync>[0], { pretty: false })).join('; ');
  }
  const quoted: string[] = [];
  const { regions } = lexMysql(sql, true);
  let text = '';
  for (const region of regions) {
    if (region.kind === 'comment') {
      text += ' ';
    } else if (region.kind === 'code') {
      text += sql.slice(region.start, region.end);
    } else {
      // Strings and quoted names verbatim; a marker keeps their inner spaces out of the collapsing below.
      text += `\u0000${quoted.push(sql.slice(region.start, region.end)) - 1}\u0000`;
    }
  }
  const collapsed = text.replace(/\s+/g, ' ').replace(/[\s;]+$/, '').trim();
  return collapsed.replace(/\u0000(\d+)\u0000/g, (_m, index: string) => quoted[Number(index)] ?? '');
}

/**
 * `:name` placeholders of a query template, found with the engine's own lexer (so `::int` casts, `:=`, and
 * colons inside strings, quoted identifiers and comments are not placeholders) and bound as SQL literals:
 * the classifier sees a literal where each placeholder was, and a value can never become an identifier,
 * a keyword or a second statement. A placeholder in an identifier position (`from :table`) therefore makes
 * the statement unparseable, and it is refused rather than run.
 */
import { scanSync } from 'libpg-query';
import { loadPgParser } from '../../engines/sql/pg-parser.ts';
import type { DbType } from '../../engines/engine.ts';
import { lexMysql } from '../../engines/sql/mysql-lexer.ts';
import { ValidationError } from '../../errors.ts';

export interface Placeholder {
  name: string;
  /** Offsets of `:name` in the text. */
  start: number;
  end: number;
}

/** A value for one placeholder (a JSON scalar). */
export type ParameterValue = string | number | boolean | null;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** After one of these, a colon belongs to the expression before it (`arr[1:n]`, `a:b`), not to a placeholder. */
const GLUED = /[A-Za-z0-9_$\])'"`:]/;

const MAX_VALUE_LENGTH = 10_000;

/** The placeholders of `sql` in order of appearance (a name may appear more than once). */
export async function findPlaceholders(dbType: DbType, sql: string): Promise<Placeholder[]> {
  const found = dbType === 'POSTGRESQL' ? await findPostgres(sql) : findMysql(sql);
  return found.filter((p) => p.start === 0 || !GLUED.test(sql[p.start - 1]!));
}

async function findPostgres(sql: string): Promise<Placeholder[]> {
  await loadPgParser();
  let tokens: { text: string; start: number; end: number }[];
  try {
    tokens = scanSync(sql).tokens;
  } catch {
    // The scanner's own message is not meant for people (it reports a JSON decoding failure).
    const message = 'cannot be read as PostgreSQL: an unterminated string, quoted identifier, dollar quote or comment?';
    throw new ValidationError(`body: ${message}`, [{ path: 'body', message }]);
  }
  const found: Placeholder[] = [];
  for (const [i, token] of tokens.entries()) {
    const next = tokens[i + 1];
    if (token.text === ':' && next && next.start === token.end && NAME.test(next.text)) found.push({ name: next.text, start: token.start, end: next.end });
  }
  return found;
}

function findMysql(sql: string): Placeholder[] {
  const lexed = lexMysql(sql, true);
  if (lexed.error) throw new ValidationError(`body: ${lexed.error}`, [{ path: 'body', message: lexed.error }]);
  const found: Placeholder[] = [];
  for (const region of lexed.regions) {
    if (region.kind !== 'code') continue;
    for (const match of sql.slice(region.start, region.end).matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const start = region.start + match.index;
      found.push({ name: match[1]!, start, end: start + match[0].length });
    }
  }
  return found;
}

/** The distinct placeholder names, in order of first appearance. */
export function placeholderNames(placeholders: readonly Placeholder[]): string[] {
  return [...new Set(placeholders.map((p) => p.name))];
}

/**
 * `sql` with every placeholder replaced by its value as a literal. Every placeholder needs a value and every
 * value a placeholder; values are JSON scalars (no lists or objects, no NUL characters, finite numbers).
 */
export async function bindPlaceholders(dbType: DbType, sql: string, parameters: Readonly<Record<string, unknown>>): Promise<string> {
  const placeholders = await findPlaceholders(dbType, sql);
  const names = placeholderNames(placeholders);
  const issues = [
    ...names.filter((name) => !Object.hasOwn(parameters, name)).map((name) => ({ path: `parameters.${name}`, message: `no value for the placeholder :${name}` })),
    ...Object.keys(parameters).filter((name) => !names.includes(name)).map((name) => ({ path: `parameters.${name}`, message: `the template has no placeholder :${name}` })),
  ];
  for (const name of names) {
    if (!Object.hasOwn(parameters, name)) continue;
    const problem = valueProblem(parameters[name]);
    if (problem) issues.push({ path: `parameters.${name}`, message: problem });
  }
  if (issues.length > 0) throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  let bound = '';
  let at = 0;
  for (const p of placeholders) {
    bound += sql.slice(at, p.start) + sqlLiteral(dbType, parameters[p.name] as ParameterValue);
    at = p.end;
  }
  return bound + sql.slice(at);
}

function valueProblem(value: unknown): string | null {
  if (value === null || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : 'must be a finite number';
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return 'must not contain NUL characters';
    return value.length > MAX_VALUE_LENGTH ? `must be at most ${MAX_VALUE_LENGTH} characters` : null;
  }
  return 'must be a string, a number, a boolean or null';
}

/**
 * A value as a literal of the engine's SQL. Strings double their quotes; a PostgreSQL string with a backslash
 * becomes an E'…' literal (backslashes doubled), which reads the same whatever standard_conforming_strings is;
 * a MySQL string doubles its backslashes (the default sql_mode; the classifier refuses text whose boundaries
 * would differ under NO_BACKSLASH_ESCAPES). A negative number is parenthesised so it cannot join a `-` before it into a comment.
 */
export function sqlLiteral(dbType: DbType, value: ParameterValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return value < 0 || Object.is(value, -0) ? `(${value})` : String(value);
  const quoted = value.replaceAll("'", "''");
  if (!value.includes('\\')) return `'${quoted}'`;
  return dbType === 'POSTGRESQL' ? `E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted.replaceAll('\\', '\\\\')}'`;
}

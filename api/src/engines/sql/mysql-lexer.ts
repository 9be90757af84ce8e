/**
 * A lexer with MySQL/MariaDB's own rules for strings, quoted identifiers and comments. node-sql-parser is not the
 * server's parser, and its comment rules differ (it takes `--1` for a comment, the server reads `- -1`; it ignores
 * `/*! … *\/`, the server executes it), so statement boundaries, executable comments and the text handed to the
 * parser are decided here, with the server's rules:
 *
 * - `'…'` and `"…"` are strings: `\` escapes the next character (unless NO_BACKSLASH_ESCAPES), a doubled quote is
 *   a quote; `` `…` `` is an identifier with doubled backticks.
 * - `#` and `-- ` (two dashes then a space or control character, or the end) run to the end of the line;
 *   `/* … *\/` does not nest; `/*!…*\/` and `/*M!…*\/` are executable comments (and a `/*+ … *\/` optimizer
 *   hint with SET_VAR changes session variables, so it is flagged the same way).
 */

export type RegionKind = 'code' | 'string' | 'ident' | 'comment';

export interface Region {
  kind: RegionKind;
  start: number;
  end: number;
}

export interface LexResult {
  regions: Region[];
  /** Offset of the first executable comment. */
  executable: number | null;
  /** Why lexing stopped early (unterminated string, identifier or comment). */
  error: string | null;
}

/** Is the character a space or control character (what MySQL requires after `--`)? End of input counts. */
function endsDashComment(sql: string, index: number): boolean {
  if (index >= sql.length) return true;
  const code = sql.charCodeAt(index);
  return code <= 0x20 || code === 0x7f;
}

export function lexMysql(sql: string, backslashEscapes: boolean): LexResult {
  const regions: Region[] = [];
  let executable: number | null = null;
  const push = (kind: RegionKind, start: number, end: number): void => {
    const last = regions.at(-1);
    if (kind === 'code' && last?.kind === 'code' && last.end === start) last.end = end;
    else regions.push({ kind, start, end });
  };
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      const escapes = backslashEscapes && c !== '`';
      let j = i + 1;
      for (;;) {
        if (j >= n) {
          const what = c === '`' ? 'quoted identifier' : 'string literal';
          return { regions, executable, error: `unterminated ${what} starting at offset ${i}` };
        }
        const d = sql[j];
        if (escapes && d === '\\') {
          j += 2;
          continue;
        }
        if (d === c) {
          if (sql[j + 1] === c) {
            j += 2;
            continue;
          }
          break;
        }
        j += 1;
      }
      push(c === '`' ? 'ident' : 'string', i, j + 1);
      i = j + 1;
    } else if (c === '#' || (c === '-' && sql[i + 1] === '-' && endsDashComment(sql, i + 2))) {
      const newline = sql.indexOf('\n', i);
      const end = newline < 0 ? n : newline;
      push('comment', i, end);
      i = end;
    } else if (c === '/' && sql[i + 1] === '*') {
      if (sql[i + 2] === '!' || sql.startsWith('M!', i + 2)) executable ??= i;
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) return { regions, executable, error: `unterminated comment starting at offset ${i}` };
      // An optimizer hint may set session variables (sql_mode, foreign_key_checks …) for the statement.
      if (sql[i + 2] === '+' && /SET_VAR/i.test(sql.slice(i, close))) executable ??= i;
      push('comment', i, close + 2);
      i = close + 2;
    } else {
      push('code', i, i + 1);
      i += 1;
    }
  }
  return { regions, executable, error: null };
}

/** Offsets of the `;` that separate statements. */
export function separators(sql: string, regions: Region[]): number[] {
  const result: number[] = [];
  for (const region of regions) {
    if (region.kind !== 'code') continue;
    for (let i = region.start; i < region.end; i += 1) if (sql[i] === ';') result.push(i);
  }
  return result;
}

/** Where two lexings first disagree (null if they agree on the whole of the shorter one and have equal length). */
export function divergence(a: Region[], b: Region[]): number | null {
  const length = Math.min(a.length, b.length);
  for (let k = 0; k < length; k += 1) {
    const x = a[k];
    const y = b[k];
    if (x === undefined || y === undefined) break;
    if (x.kind !== y.kind || x.start !== y.start || x.end !== y.end) return Math.min(x.start, y.start);
  }
  if (a.length === b.length) return null;
  const next = a[length] ?? b[length];
  return next?.start ?? null;
}

export interface Piece {
  /** Offsets in the original text. */
  start: number;
  end: number;
  /** The original statement text, trimmed. */
  text: string;
  /**
   * What the parser gets: comments blanked, a `--` that is not a comment spaced to `- -`, and string literals
   * containing backslashes or quotes replaced by a neutral literal, so the parser cannot read code into a
   * string or a string into code differently from the server.
   */
  parserText: string;
}

/** Splits lexed text into statements (empty ones dropped). */
export function splitStatements(sql: string, regions: Region[]): Piece[] {
  const pieces: Piece[] = [];
  let start = 0;
  let parts: string[] = [];
  const flush = (end: number): void => {
    const parserText = parts.join('').trim();
    if (parserText !== '') pieces.push({ start, end, text: sql.slice(start, end).trim(), parserText });
    parts = [];
  };
  for (const region of regions) {
    const raw = sql.slice(region.start, region.end);
    if (region.kind === 'comment') {
      parts.push(' ');
    } else if (region.kind === 'string') {
      const quote = raw[0] ?? "'";
      const content = raw.slice(1, -1);
      parts.push(/[\\'"]/.test(content) ? `${quote}x${quote}` : raw);
    } else if (region.kind === 'ident') {
      parts.push(raw);
    } else {
      for (let i = region.start; i < region.end; i += 1) {
        const c = sql[i] ?? '';
        if (c === ';') {
          flush(i);
          start = i + 1;
        } else if (c === '-' && sql[i + 1] === '-') {
          parts.push('- ');
        } else {
          parts.push(c);
        }
      }
    }
  }
  flush(sql.length);
  return pieces;
}

export type TokenKind = 'word' | 'ident' | 'string' | 'punct';

export interface Token {
  kind: TokenKind;
  /** Words: upper case; identifiers: unquoted; strings: as written; punctuation: the character(s). */
  value: string;
  /** Words and identifiers as written (identifiers unquoted). */
  text: string;
  /** Offset in the parser text. */
  offset: number;
}

/** Tokens of a piece's parser text (which has no comments). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /([A-Za-z0-9_$\u0080-\uffff]+)|`((?:[^`]|``)*)`|('(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*")|(:=|\S)/gsu;
  for (const match of text.matchAll(pattern)) {
    const offset = match.index;
    if (match[1] !== undefined) {
      tokens.push({ kind: 'word', value: match[1].toUpperCase(), text: match[1], offset });
    } else if (match[2] !== undefined) {
      const name = match[2].replaceAll('``', '`');
      tokens.push({ kind: 'ident', value: name, text: name, offset });
    } else if (match[3] !== undefined) {
      tokens.push({ kind: 'string', value: match[3], text: match[3], offset });
    } else if (match[4] !== undefined) {
      tokens.push({ kind: 'punct', value: match[4], text: match[4], offset });
    }
  }
  return tokens;
}

/** The public classifier corpus (`corpus.tsv`): one case per line, read for the classifier and execution tests. */
import { readFileSync } from 'node:fs';

export type CorpusEngine = 'postgresql' | 'mysql' | 'mariadb';

export interface CorpusCase {
  line: number;
  engine: CorpusEngine;
  sql: string;
  expected: string;
}

/** `\n` → newline, `\t` → tab, `\\` → backslash; any other backslash stays. */
function unescape(text: string): string {
  return text.replace(/\\([nt\\])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\'));
}

export function loadCorpus(): CorpusCase[] {
  const text = readFileSync(new URL('./corpus.tsv', import.meta.url), 'utf8');
  const cases: CorpusCase[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const fields = raw.split('\t');
    const [engine, sql, expected] = fields;
    if (fields.length !== 3 || engine === undefined || sql === undefined || expected === undefined) {
      throw new Error(`corpus.tsv:${index + 1}: expected 3 tab-separated fields`);
    }
    if (engine !== 'postgresql' && engine !== 'mysql' && engine !== 'mariadb') {
      throw new Error(`corpus.tsv:${index + 1}: unknown engine ${engine}`);
    }
    cases.push({ line: index + 1, engine, sql: unescape(sql), expected });
  });
  return cases;
}


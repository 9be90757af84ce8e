/** Text for people and CI outputs: result tables as plain text, as Markdown, and as bounded JSON. */
import type { RequestState } from './operations.ts';

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A fixed-width text table of at most `limit` rows. */
export function textTable(result: NonNullable<RequestState['result']>, limit = 50): string {
  const header = result.columns.map((c) => c.name);
  const rows = result.rows.slice(0, limit).map((row) => row.map(cellText));
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const line = (cells: string[]) => cells.map((c, i) => c.slice(0, 60).padEnd(widths[i]!)).join(' | ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.map(line)];
  if (result.rows.length > limit) out.push(`… ${result.rows.length - limit} more row(s)`);
  if (result.truncated) out.push('(truncated at the datasource row cap)');
  return out.join('\n');
}

export function markdownCell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll('\n', ' ').replaceAll('<', '&lt;');
}

export function markdownTable(header: string[], rows: string[][]): string {
  return [
    `| ${header.map(markdownCell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(markdownCell).join(' | ')} |`),
  ].join('\n');
}

/**
 * The result as JSON of at most `maxChars` characters (a CI output has a size limit): whole rows are dropped
 * from the end until it fits, and `truncated` then says so.
 */
export function resultJson(result: NonNullable<RequestState['result']>, maxChars: number): { json: string; rowsShown: number } {
  let rows = result.rows;
  for (;;) {
    const json = JSON.stringify({ columns: result.columns, rows, rowCount: result.rowCount, truncated: result.truncated || rows.length < result.rows.length });
    if (json.length <= maxChars || rows.length === 0) return { json, rowsShown: rows.length };
    rows = rows.slice(0, Math.floor(rows.length * Math.min(0.9, maxChars / json.length)));
  }
}

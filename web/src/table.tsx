/** Tables and CSV export, for the pages that list things (kept out of the first-load shell, docs/console.md P8). */
import { For, Show, type JSX } from 'solid-js';
import { Empty } from './ui.tsx';

/** A simple table: caption for screen readers, one row per item. */
export function Table<T>(props: { caption: string; columns: string[]; rows: readonly T[]; row: (item: T) => JSX.Element; empty: JSX.Element }) {
  return (
    <Show when={props.rows.length > 0} fallback={<Empty>{props.empty}</Empty>}>
      <div class="table-wrap">
        <table>
          <caption class="sr-only">{props.caption}</caption>
          <thead>
            <tr>
              <For each={props.columns}>{(column) => <th scope="col">{column}</th>}</For>
            </tr>
          </thead>
          <tbody>
            <For each={props.rows}>{props.row}</For>
          </tbody>
        </table>
      </div>
    </Show>
  );
}

/** RFC 4180 CSV: quote every field that has a comma, quote, or line break; CRLF line ends. */
export function toCsv(header: string[], rows: unknown[][]): string {
  const cell = (value: unknown) => {
    const text = value == null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function download(filename: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** What changed between two runs of the same statement: rows (as masked and stored) added and removed. */
import type { ResultSnapshot } from './query-request.entity.ts';

/** Rows listed per side at most; the counts are always complete. */
const MAX_LISTED = 100;

export interface ResultDiff {
  /** Same columns in the same order; otherwise rows are not compared. */
  comparable: boolean;
  added: unknown[][];
  removed: unknown[][];
  addedCount: number;
  removedCount: number;
  unchangedCount: number;
  /** Either snapshot hit its row cap, so rows beyond it were not compared. */
  partial: boolean;
}

/** Rows compared as multisets of their values: order is ignored, duplicates count. */
export function diffResults(before: ResultSnapshot, after: ResultSnapshot): ResultDiff {
  const partial = before.truncated || after.truncated;
  const comparable =
    before.columns.length === after.columns.length && before.columns.every((column, i) => column.name === after.columns[i]?.name);
  if (!comparable) return { comparable, added: [], removed: [], addedCount: 0, removedCount: 0, unchangedCount: 0, partial };
  const remaining = new Map<string, number>();
  for (const row of before.rows) {
    const key = JSON.stringify(row);
    remaining.set(key, (remaining.get(key) ?? 0) + 1);
  }
  const added: unknown[][] = [];
  let addedCount = 0;
  let unchangedCount = 0;
  for (const row of after.rows) {
    const key = JSON.stringify(row);
    const left = remaining.get(key) ?? 0;
    if (left > 0) {
      remaining.set(key, left - 1);
      unchangedCount += 1;
    } else {
      addedCount += 1;
      if (added.length < MAX_LISTED) added.push(row);
    }
  }
  const removed: unknown[][] = [];
  let removedCount = 0;
  for (const row of before.rows) {
    const key = JSON.stringify(row);
    const left = remaining.get(key) ?? 0;
    if (left > 0) {
      remaining.set(key, left - 1);
      removedCount += 1;
      if (removed.length < MAX_LISTED) removed.push(row);
    }
  }
  return { comparable, added, removed, addedCount, removedCount, unchangedCount, partial };
}

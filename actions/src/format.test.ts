/** resultJson keeps whole rows and says when it dropped some. */
import { expect, it } from 'vitest';
import { resultJson } from './format.ts';

const result = { columns: [{ name: 'id', type: 'int4' }, { name: 'note', type: 'text' }], rows: Array.from({ length: 1000 }, (_, i) => [i, 'x'.repeat(100)]), rowCount: 1000, truncated: false };

it('returns everything when it fits', () => {
  const { json, rowsShown } = resultJson(result, 1_000_000);
  expect(rowsShown).toBe(1000);
  expect(JSON.parse(json)).toEqual(result);
});

it('drops rows from the end to fit, and marks the result truncated', () => {
  const { json, rowsShown } = resultJson(result, 20_000);
  expect(json.length).toBeLessThanOrEqual(20_000);
  expect(rowsShown).toBeGreaterThan(100);
  const parsed = JSON.parse(json) as typeof result;
  expect(parsed.rows).toEqual(result.rows.slice(0, rowsShown));
  expect(parsed).toMatchObject({ rowCount: 1000, truncated: true });
});

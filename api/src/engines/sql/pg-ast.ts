/** Small readers of the libpg-query JSON AST, shared by the classifier and the row-security rewriter. */
export type Obj = Record<string, unknown>;

export const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
export const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** `{ SelectStmt: {...} }` → ['SelectStmt', {...}]; null for anything else (a bare field object, a scalar). */
export function unwrap(value: unknown): [string, Obj] | null {
  if (!isObj(value)) return null;
  // Walked for every node of every statement: no key array, no regular expression.
  let key: string | undefined;
  for (const k in value) {
    if (key !== undefined) return null;
    key = k;
  }
  if (key === undefined) return null;
  const first = key.charCodeAt(0);
  if (first < 65 || first > 90) return null;
  const body = value[key];
  return isObj(body) ? [key, body] : null;
}

/** Small readers of the libpg-query JSON AST, shared by the classifier and the row-security rewriter. */
export type Obj = Record<string, unknown>;

export const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
export const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** `{ SelectStmt: {...} }` → ['SelectStmt', {...}]; null for anything else (a bare field object, a scalar). */
export function unwrap(value: unknown): [string, Obj] | null {
  if (!isObj(value)) return null;
  const keys = Object.keys(value);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined || !/^[A-Z]/.test(key)) return null;
  const body = value[key];
  return isObj(body) ? [key, body] : null;
}

// The workspaces of the root package.json, read once for the scripts that walk them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** Workspaces that hold `file` (e.g. `tsconfig.json`, `vitest.config.ts`), in the order package.json lists them. */
export function workspacesWith(file) {
  return root.workspaces.filter((workspace) => existsSync(join(workspace, file)));
}

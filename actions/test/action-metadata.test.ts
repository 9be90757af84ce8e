/**
 * The action.yml files: what the runner needs (node24, the committed bundle), the input names users of the
 * seed's actions already write, and a README that documents every input and output.
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { expect, it } from 'vitest';
import { ACTIONS_ROOT } from './runner.ts';

interface ActionYml {
  name: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

async function action(name: string): Promise<ActionYml> {
  return parse(await readFile(join(ACTIONS_ROOT, name, 'action.yml'), 'utf8')) as ActionYml;
}

const SEED_INPUTS = {
  'run-query': ['endpoint', 'api-key', 'datasource-id', 'sql', 'justification', 'timeout-seconds', 'poll-interval-seconds'],
  'provision-datasource': ['endpoint', 'api-key', 'name', 'db-type', 'ssl-mode', 'host', 'port', 'database-name', 'username', 'password', 'review-plan-id', 'ai-config-id', 'ai-analysis-enabled', 'text-to-sql-enabled'],
  'sql-review': ['endpoint', 'api-key'],
};

it.each(Object.keys(SEED_INPUTS))('%s: node24, a committed bundle, the seed’s input names, and a README covering every input and output', async (name) => {
  const yml = await action(name);
  expect(yml.runs).toEqual({ using: 'node24', main: 'dist/index.mjs' });
  await access(join(ACTIONS_ROOT, name, yml.runs.main));
  expect(Object.keys(yml.inputs)).toEqual(expect.arrayContaining(SEED_INPUTS[name as keyof typeof SEED_INPUTS]));
  // endpoint / api-key fall back to ACCESSFLOW_ENDPOINT / ACCESSFLOW_API_KEY, so neither is required.
  expect(yml.inputs['endpoint']?.required).toBe(false);
  expect(yml.inputs['api-key']?.required).toBe(false);
  const readme = await readFile(join(ACTIONS_ROOT, name, 'README.md'), 'utf8');
  for (const input of Object.keys(yml.inputs)) expect(readme, `README of ${name} lacks input ${input}`).toContain(`| \`${input}\` |`);
  for (const output of Object.keys(yml.outputs)) expect(readme, `README of ${name} lacks output ${output}`).toContain(`| \`${output}\` |`);
});

it('run-query adds datasource (by name) and sql-file, and outputs query-id, status, rows-affected, result-json', async () => {
  const yml = await action('run-query');
  expect(Object.keys(yml.inputs)).toEqual(expect.arrayContaining(['datasource', 'sql-file']));
  expect(Object.keys(yml.outputs)).toEqual(expect.arrayContaining(['query-id', 'status', 'rows-affected', 'result-json']));
});

/**
 * The workflow examples of docs/actions/*.md and docs/gitlab-ci.md use only inputs the actions and components
 * declare, and extend jobs the templates define: a renamed input breaks this test, not a user's pipeline.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { expect, it } from 'vitest';
import { ACTIONS_ROOT } from './runner.ts';

const DOCS = join(ACTIONS_ROOT, '../docs');

function blocks(text: string, kind: string): unknown[] {
  return [...text.matchAll(new RegExp('```yaml ' + kind + '\\n([\\s\\S]*?)```', 'g'))].map((m) => parse(m[1]!));
}

async function actionInputs(name: string): Promise<string[]> {
  return Object.keys((parse(await readFile(join(ACTIONS_ROOT, name, 'action.yml'), 'utf8')) as { inputs: object }).inputs);
}

interface Workflow {
  jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }>;
}

it.each(['run-query', 'provision-datasource', 'sql-review'])('docs/actions/%s.md: complete workflows that use only declared inputs', async (page) => {
  const workflows = blocks(await readFile(join(DOCS, 'actions', `${page}.md`), 'utf8'), 'workflow') as Workflow[];
  expect(workflows.length).toBeGreaterThan(0);
  let uses = 0;
  for (const workflow of workflows) {
    expect(workflow).toHaveProperty('on');
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps ?? []) {
        const action = /^accessflow\/accessflow\/actions\/([\w-]+)@v1$/.exec(step.uses ?? '')?.[1];
        if (!action) continue;
        uses += 1;
        expect(await actionInputs(action)).toEqual(expect.arrayContaining(Object.keys(step.with ?? {})));
      }
    }
  }
  expect(uses).toBeGreaterThan(0);
});

it('docs/gitlab-ci.md: includes name real templates and inputs, jobs extend the hidden jobs they define', async () => {
  const pipelines = blocks(await readFile(join(DOCS, 'gitlab-ci.md'), 'utf8'), 'gitlab') as Record<string, unknown>[];
  expect(pipelines.length).toBe(3);
  for (const pipeline of pipelines) {
    const hidden = new Set<string>();
    for (const include of pipeline['include'] as { component?: string; remote?: string; inputs?: Record<string, unknown> }[]) {
      const name = /\/([\w-]+)(?:@[\w.]+|\.yml)$/.exec(include.component ?? include.remote ?? '')![1]!;
      const [spec, jobs] = parseAllDocuments(await readFile(join(ACTIONS_ROOT, '../gitlab-ci/templates', `${name}.yml`), 'utf8')) as unknown as { toJS(): Record<string, unknown> }[];
      const inputs = Object.keys((spec!.toJS() as { spec: { inputs: object } }).spec.inputs);
      expect(inputs).toEqual(expect.arrayContaining(Object.keys(include.inputs ?? {})));
      for (const job of Object.keys(jobs!.toJS())) hidden.add(job);
    }
    for (const [name, job] of Object.entries(pipeline)) {
      const extended = (job as { extends?: string }).extends;
      if (extended) expect(hidden, `${name} extends ${extended}`).toContain(extended);
    }
  }
});

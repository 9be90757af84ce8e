import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { GENERATED_FILE, generate } from './codegen.ts';

it('the committed operation types match the operation documents and schema/schema.graphql', async () => {
  // Fails when an operation or the schema changed without `npm run codegen -w @accessflow/web`,
  // and (inside generate) when an operation no longer validates against the schema.
  expect(readFileSync(GENERATED_FILE, 'utf8') === (await generate()), 'web/src/graphql/generated.ts is stale: run npm run codegen -w @accessflow/web').toBe(true);
});

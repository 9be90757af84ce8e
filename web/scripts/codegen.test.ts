import { expect, it } from 'vitest';
import { staleFiles } from './codegen.ts';

it('the committed operation types and documents match src/graphql/*.graphql and schema/schema.graphql', async () => {
  // Fails when an operation or the schema changed without `npm run codegen -w @accessflow/web`,
  // and (inside generate) when an operation no longer validates against the schema.
  expect(await staleFiles(), 'run npm run codegen -w @accessflow/web').toEqual([]);
});

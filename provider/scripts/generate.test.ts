import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../src/generated/resources.ts';
import { deriveResources } from './derive.ts';
import { generatedFiles } from './generate.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const sdl = await readFile(join(root, '..', 'schema', 'schema.graphql'), 'utf8');

describe('resources derived from schema/schema.graphql', () => {
  it('committed generated files (src/generated, docs) are up to date: run node provider/scripts/generate.ts', async () => {
    for (const [path, text] of await generatedFiles()) {
      expect(await readFile(join(root, path), 'utf8').catch(() => null), path).toBe(text);
    }
  });

  it('every upsert mutation of the API has a resource', () => {
    const upserts = Object.keys(buildSchema(sdl).getMutationType()?.getFields() ?? {}).filter((name) => name.startsWith('upsert'));
    expect(deriveResources(sdl).unmatched).toEqual([]);
    expect(RESOURCES.map((r) => r.upsert).sort()).toEqual(upserts.sort());
  });

  it('uses the seed provider’s resource and attribute names', () => {
    const names = Object.fromEntries(RESOURCES.map((r) => [r.typeName, r.attributes.map((a) => a.name)]));
    expect(names['accessflow_datasource']).toEqual(expect.arrayContaining(['name', 'db_type', 'host', 'port', 'database_name', 'username', 'password', 'ssl_mode', 'connection_pool_size', 'max_rows_per_query', 'require_review_reads', 'require_review_writes', 'ai_analysis_enabled', 'text_to_sql_enabled', 'review_plan_id', 'active']));
    expect(names['accessflow_review_plan']).toEqual(expect.arrayContaining(['name', 'description', 'requires_ai_review', 'requires_human_approval', 'auto_approve_reads', 'min_approvals_required', 'approval_timeout_hours', 'approvers']));
    expect(names['accessflow_masking_policy']).toEqual(expect.arrayContaining(['datasource_id', 'column_ref', 'strategy', 'strategy_params', 'reveal_to_roles', 'reveal_to_group_ids', 'reveal_to_user_ids', 'enabled']));
    expect(names['accessflow_row_security_policy']).toEqual(expect.arrayContaining(['datasource_id', 'table_name', 'column_name', 'operator', 'value_type', 'value_expression', 'applies_to_roles', 'applies_to_group_ids', 'applies_to_user_ids', 'enabled']));
    const approvers = RESOURCES.find((r) => r.typeName === 'accessflow_review_plan')?.attributes.find((a) => a.name === 'approvers');
    expect(approvers?.type.kind === 'objects' && approvers.type.attributes.map((a) => a.name).sort()).toEqual(['group_id', 'role', 'stage', 'user_id']);
  });

  it('takes flags from the SDL directives: write-only with a version trigger, natural keys replace', () => {
    const datasource = RESOURCES.find((r) => r.typeName === 'accessflow_datasource');
    const attribute = (name: string) => datasource?.attributes.find((a) => a.name === name);
    expect(attribute('password')).toMatchObject({ writeOnly: true, sensitive: true, field: null, version: 'password_version' });
    expect(attribute('password_wo_version')).toMatchObject({ triggers: 'password', optional: true });
    expect(attribute('password_version')).toMatchObject({ computed: true, optional: false });
    expect(attribute('name')).toMatchObject({ required: true, replace: true });
    expect(attribute('max_rows_per_query')).toMatchObject({ optional: true, computed: true, replace: false });
    const masking = RESOURCES.find((r) => r.typeName === 'accessflow_masking_policy');
    expect(masking?.importScope).toBe('datasource_id');
    expect(masking?.attributes.find((a) => a.name === 'strategy_params')?.type).toEqual({ kind: 'map', element: 'string' });
  });

  it('renames a reserved field and replaces on @replaceOnChange', () => {
    const [ai, channel] = deriveResources(`
      directive @naturalKey on INPUT_FIELD_DEFINITION
      directive @replaceOnChange on INPUT_FIELD_DEFINITION
      scalar JSON
      type AiConfig { id: ID! name: String! provider: String! }
      input UpsertAiConfigInput { name: String! @naturalKey provider: String! }
      type MutationUpsertAiConfigSuccess { data: AiConfig! }
      union MutationUpsertAiConfigResult = MutationUpsertAiConfigSuccess
      type Channel { id: ID! name: String! channelType: String! }
      input UpsertChannelInput { name: String! @naturalKey channelType: String! @replaceOnChange }
      type MutationUpsertChannelSuccess { data: Channel! }
      union MutationUpsertChannelResult = MutationUpsertChannelSuccess
      type Query { aiConfig(id: ID!): AiConfig channel(id: ID!): Channel }
      type Mutation {
        upsertAiConfig(input: UpsertAiConfigInput!): MutationUpsertAiConfigResult!
        deleteAiConfig(id: ID!): Boolean
        upsertChannel(input: UpsertChannelInput!): MutationUpsertChannelResult!
        deleteChannel(id: ID!): Boolean
      }
    `).resources;
    expect(ai?.attributes.map((a) => a.name)).toEqual(['id', 'name', 'ai_provider']);
    const attribute = (name: string) => channel?.attributes.find((a) => a.name === name);
    expect(attribute('channel_type')).toMatchObject({ required: true, replace: true });
    expect(attribute('name')).toMatchObject({ required: true, replace: true });
  });

  it('reports an upsert without a delete mutation or an (id) query instead of guessing', () => {
    const derived = deriveResources(`
      type Thing { id: ID! name: String! }
      input UpsertThingInput { name: String! @naturalKey }
      directive @naturalKey on INPUT_FIELD_DEFINITION
      type MutationUpsertThingSuccess { data: Thing! }
      union MutationUpsertThingResult = MutationUpsertThingSuccess
      type Query { thing(id: ID!): Thing }
      type Mutation { upsertThing(input: UpsertThingInput!): MutationUpsertThingResult! }
    `);
    expect(derived).toEqual({ resources: [], unmatched: ['upsertThing'] });
  });
});

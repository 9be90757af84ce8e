/**
 * A string map with secret values (`@secretValues`, e.g. a notification channel's config): the server reads each
 * secret back as null, the state keeps the configured secret, and a secret changed elsewhere is re-sent.
 */
import { describe, expect, it } from 'vitest';
import { deriveResources } from '../scripts/derive.ts';
import { decodeValue, encodeValue, UNKNOWN, type DynamicValue, type TfObject } from './protocol/dynamic-value.ts';
import { createProvider } from './provider.ts';
import { stateFromServer } from './values.ts';

const [channel] = deriveResources(`
  directive @naturalKey on INPUT_FIELD_DEFINITION
  directive @replaceOnChange on INPUT_FIELD_DEFINITION
  directive @stringMap on INPUT_FIELD_DEFINITION
  directive @secretValues(version: String!) on INPUT_FIELD_DEFINITION
  scalar JSON
  type Channel { id: ID! name: String! channelType: String! config: JSON! configVersion: Int! }
  input UpsertChannelInput { name: String! @naturalKey channelType: String! @replaceOnChange config: JSON! @stringMap @secretValues(version: "configVersion") }
  type MutationUpsertChannelSuccess { data: Channel! }
  union MutationUpsertChannelResult = MutationUpsertChannelSuccess
  type Query { channel(id: ID!): Channel }
  type Mutation { upsertChannel(input: UpsertChannelInput!): MutationUpsertChannelResult! deleteChannel(id: ID!): Boolean }
`).resources;
if (!channel) throw new Error('the test SDL derives no resource');

const prior: TfObject = { id: 'c1', name: 'ops', channel_type: 'WEBHOOK', config: { url: 'https://hooks.example/x', secret: 's3cret' }, config_version: 2 };

describe('a map with secret values', () => {
  it('keeps a secret the server reads back as null, and shows drift of the other keys', () => {
    const state = stateFromServer(channel.attributes, { id: 'c1', name: 'ops', channelType: 'WEBHOOK', config: { url: 'https://hooks.example/y', secret: null }, configVersion: 2 }, prior);
    expect(state['config']).toEqual({ url: 'https://hooks.example/y', secret: 's3cret' });
  });

  it('drops a secret key deleted elsewhere and, after import, leaves secret keys out for the plan to set', () => {
    const deleted = stateFromServer(channel.attributes, { id: 'c1', name: 'ops', channelType: 'WEBHOOK', config: { url: 'https://hooks.example/x' }, configVersion: 3 }, prior);
    expect(deleted['config']).toEqual({ url: 'https://hooks.example/x' });
    const imported = stateFromServer(channel.attributes, { id: 'c1', name: 'ops', channelType: 'WEBHOOK', config: { url: 'https://hooks.example/x', secret: null }, configVersion: 3 }, null);
    expect(imported['config']).toEqual({ url: 'https://hooks.example/x' });
  });

  it('plans an update with a warning when the secret version moved since the last apply, and none when it did not', async () => {
    const provider = createProvider({ resources: [channel], env: {} }) as unknown as {
      PlanResourceChange(request: object): Promise<{ planned_state: DynamicValue; diagnostics: { severity: string; summary: string }[] }>;
    };
    const plan = (priorState: TfObject) =>
      provider.PlanResourceChange({
        type_name: channel.typeName,
        prior_state: encodeValue(priorState),
        proposed_new_state: encodeValue(priorState),
        config: encodeValue({ ...priorState, id: null, config_version: null }),
        prior_private: Buffer.from(JSON.stringify({ secretVersion: 2 })),
      });
    const unchanged = await plan(prior);
    expect(unchanged.diagnostics).toEqual([]);
    expect((decodeValue(unchanged.planned_state) as TfObject)['config_version']).toBe(2);
    const moved = await plan({ ...prior, config_version: 3 });
    expect(moved.diagnostics.map((d) => [d.severity, d.summary])).toEqual([['WARNING', 'The secret was changed outside Terraform']]);
    expect((decodeValue(moved.planned_state) as TfObject)['config_version']).toBe(UNKNOWN);
  });
});

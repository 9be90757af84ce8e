/**
 * AI configurations (FEATURES E1) through the public API: refusals first (each changes nothing), then create,
 * update, test and delete — the API key never in a response, an audit row, a log line or the store in clear.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, createTestApp, createUserWithKey, ok, rowCounts, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { sentKey } from '../../../test/doubles/anthropic-double.ts';
import { startLlmDouble, type LlmDouble } from '../../../test/doubles/llm-double.ts';

const KEY = 'sk-ant-test-5f1c0d9e-never-shown';
const CONFIG_FIELDS = 'id name aiProvider model endpoint apiKeySet apiKeyVersion timeoutMs maxPromptTokens maxCompletionTokens systemPromptTemplate';

let t: TestApp;
let org: Org;
let analyst: Caller;
let llm: LlmDouble;
const logLines: string[] = [];

interface Result {
  __typename: string;
  code?: string;
  message?: string;
  issues?: { path: string; message: string }[];
  data?: Record<string, unknown> & { id: string };
}

const upsert = async (input: Record<string, unknown>, caller: Caller = org.admin) => {
  const response = await t.gql<{ upsertAiConfig: Result }>(
    `mutation($input: UpsertAiConfigInput!) { upsertAiConfig(input: $input) { __typename
      ... on MutationUpsertAiConfigSuccess { data { ${CONFIG_FIELDS} } } ... on Error { code message } ... on ValidationError { issues { path message } } } }`,
    { input },
    caller,
  );
  return { response, result: response.data?.upsertAiConfig ?? null };
};
const mutateById = async (field: 'deleteAiConfig' | 'testAiConfig', id: string, caller: Caller = org.admin) => {
  const selection = field === 'testAiConfig' ? '{ ok model latencyMs message }' : '';
  const data = ok(await t.gql<Record<string, Result>>(`mutation($id: ID!) { ${field}(id: $id) { __typename ... on ${field === 'deleteAiConfig' ? 'MutationDeleteAiConfigSuccess' : 'MutationTestAiConfigSuccess'} { data ${selection} } ... on Error { code message } } }`, { id }, caller));
  return data[field]!;
};
const anthropic = (extra: Record<string, unknown> = {}) => ({ name: 'claude', aiProvider: 'ANTHROPIC', model: 'claude-test', endpoint: llm.url, apiKey: KEY, ...extra });

beforeAll(async () => {
  llm = await startLlmDouble(KEY);
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => { logLines.push(chunk.toString('utf8')); done(); } });
  t = await createTestApp({ log: pino({ level: 'trace' }, sink) });
  org = await setupFirstOrg(t);
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
});
afterAll(async () => {
  await t.close();
  await llm.close();
});

describe('refusals (nothing changes)', () => {
  it('refuses a non-admin', async () => {
    const before = await rowCounts(t.databaseUrl!);
    const { response } = await upsert(anthropic(), analyst);
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const reviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer@acme.test');
    const after = await rowCounts(t.databaseUrl!);
    const list = await t.gql('{ aiConfigs(first: 5) { edges { node { id } } } }', undefined, reviewer);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await rowCounts(t.databaseUrl!)).toEqual(after);
    expect(after['ai_configs'] ?? 0).toBe(before['ai_configs'] ?? 0);
  });

  it('refuses an unknown provider, a missing or unsafe endpoint, a missing key, a template without {{sql}}, bounds', async () => {
    const before = await rowCounts(t.databaseUrl!);
    const { response: unknown } = await upsert(anthropic({ aiProvider: 'GEMINI' }));
    expect(unknown.errors?.[0]?.message).toMatch(/GEMINI/);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ aiProvider: 'OLLAMA', endpoint: null, apiKey: null }, 'endpoint', /required for OLLAMA/],
      [{ aiProvider: 'OPENAI_COMPATIBLE', endpoint: null }, 'endpoint', /required for OPENAI_COMPATIBLE/],
      [{ aiProvider: 'HUGGING_FACE', endpoint: null }, 'endpoint', /required for HUGGING_FACE/],
      [{ endpoint: 'ftp://models.internal' }, 'endpoint', /http\(s\) URL/],
      [{ endpoint: 'https://user:hunter2@models.internal/v1' }, 'endpoint', /must not contain credentials/],
      [{ apiKey: null }, 'apiKey', /required for ANTHROPIC/],
      [{ aiProvider: 'OPENAI', apiKey: null }, 'apiKey', /required for OPENAI/],
      [{ systemPromptTemplate: 'Review {{schema_context}} please' }, 'systemPromptTemplate', /must contain \{\{sql\}\}/],
      [{ systemPromptTemplate: 'Review {{sql}} for {{customer_name}}' }, 'systemPromptTemplate', /unknown placeholder \{\{customer_name\}\}/],
      [{ timeoutMs: 10 }, 'timeoutMs', /1000 to 120000/],
      [{ maxPromptTokens: 1_000_000 }, 'maxPromptTokens', /256 to 200000/],
      [{ maxCompletionTokens: 0 }, 'maxCompletionTokens', /64 to 32000/],
    ];
    for (const [extra, path, message] of cases) {
      const { result } = await upsert(anthropic(extra));
      expect(result?.__typename, JSON.stringify(extra)).toBe('ValidationError');
      expect(result?.issues?.find((i) => i.path === path)?.message, JSON.stringify(extra)).toMatch(message);
    }
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);
  });

  it("does not let a datasource name another organization's configuration, nor show it", async () => {
    const other = await createOrg(t, org.admin, 'Globex', 'admin@globex.test');
    const { result } = await upsert(anthropic({ name: 'theirs' }), other.admin);
    const theirs = result!.data!.id;
    expect(ok(await t.gql<{ aiConfig: unknown }>('query($id: ID!) { aiConfig(id: $id) { id } }', { id: theirs }, org.admin)).aiConfig).toBeNull();
    const before = await rowCounts(t.databaseUrl!);
    const created = ok(await t.gql<{ upsertDatasource: Result }>(
      `mutation($ai: ID!) { upsertDatasource(input: { name: "db", dbType: POSTGRESQL, host: "127.0.0.1", port: 1, databaseName: "x", username: "x", aiConfigId: $ai, verifyConnection: false }) { __typename ... on NotFound { entity id } } }`,
      { ai: theirs }, org.admin)).upsertDatasource;
    expect(created).toMatchObject({ __typename: 'NotFound', entity: 'AiConfig', id: theirs });
    expect((await mutateById('deleteAiConfig', theirs)).__typename).toBe('NotFound');
    expect((await mutateById('testAiConfig', theirs)).__typename).toBe('NotFound');
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);
  });
});

describe('create, update, test, delete', () => {
  let id: string;

  it('creates with an encrypted, write-only key and defaults', async () => {
    const { result } = await upsert(anthropic());
    expect(result?.__typename).toBe('MutationUpsertAiConfigSuccess');
    expect(result!.data).toMatchObject({ name: 'claude', aiProvider: 'ANTHROPIC', apiKeySet: true, apiKeyVersion: 1, timeoutMs: 30000, maxPromptTokens: 8000, maxCompletionTokens: 1024, systemPromptTemplate: null });
    id = result!.data!.id;
    const [row] = await superuserQuery<{ api_key_encrypted: string }>(t.databaseUrl!, 'select api_key_encrypted from ai_configs where id = $1', [id]);
    expect(row!.api_key_encrypted).not.toContain(KEY);
    expect(row!.api_key_encrypted.length).toBeGreaterThan(KEY.length);
  });

  it('keeps the key when it is omitted and counts a new one', async () => {
    const kept = await upsert({ name: 'claude', aiProvider: 'ANTHROPIC', model: 'claude-test-2', endpoint: llm.url, timeoutMs: 5000, systemPromptTemplate: 'Judge {{sql}} on {{db_type}}' });
    expect(kept.result!.data).toMatchObject({ id, model: 'claude-test-2', apiKeySet: true, apiKeyVersion: 1, timeoutMs: 5000, systemPromptTemplate: 'Judge {{sql}} on {{db_type}}' });
    const check = await mutateById('testAiConfig', id);
    expect(check.data).toMatchObject({ ok: true, model: 'claude-test-2' });
    // The stored key never goes to a new address: a changed endpoint needs the key again.
    const moved = await upsert({ name: 'claude', aiProvider: 'ANTHROPIC', model: 'claude-test-2', endpoint: 'http://127.0.0.1:9/elsewhere' });
    expect(moved.result).toMatchObject({ __typename: 'ValidationError', issues: [{ path: 'apiKey' }] });
    expect((await superuserQuery<{ endpoint: string }>(t.databaseUrl!, 'select endpoint from ai_configs where id = $1', [id]))[0]!.endpoint).toBe(llm.url);
    const rotated = await upsert(anthropic({ model: 'claude-test-2', apiKey: 'sk-ant-wrong-key' }));
    expect(rotated.result!.data).toMatchObject({ id, apiKeyVersion: 2 });
    // Authoritative: the omitted template and timeout went back to their defaults.
    expect(rotated.result!.data).toMatchObject({ timeoutMs: 30000, systemPromptTemplate: null });
  });

  it('tests with one real call and reports the failure with the service message, never the key', async () => {
    const before = llm.received.length;
    const failed = await mutateById('testAiConfig', id);
    expect(failed.data).toMatchObject({ ok: false, message: 'HTTP 401 authentication_error: invalid x-api-key' });
    expect(llm.received.length).toBe(before + 1);
    expect(sentKey(llm.received.at(-1)!.headers)).toBe('sk-ant-wrong-key');
    await upsert(anthropic({ model: 'claude-test-2' }));
    const passed = await mutateById('testAiConfig', id);
    expect(passed.data).toMatchObject({ ok: true });
    expect((passed.data as unknown as { latencyMs: number }).latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('lists and finds by name', async () => {
    const data = ok(await t.gql<{ aiConfigs: { edges: { node: { name: string } }[] }; aiConfigByName: { id: string } }>(
      '{ aiConfigs(first: 10) { edges { node { name } } } aiConfigByName(name: "claude") { id } }', undefined, org.admin));
    expect(data.aiConfigs.edges.map((e) => e.node.name)).toEqual(['claude']);
    expect(data.aiConfigByName.id).toBe(id);
  });

  it('refuses to delete a configuration a datasource uses (Conflict), then deletes it', async () => {
    const datasource = ok(await t.gql<{ upsertDatasource: Result }>(
      `mutation($ai: ID!) { upsertDatasource(input: { name: "warehouse", dbType: POSTGRESQL, host: "127.0.0.1", port: 1, databaseName: "x", username: "x", aiConfigId: $ai, verifyConnection: false }) {
        __typename ... on MutationUpsertDatasourceSuccess { data { id aiConfigId } } } }`, { ai: id }, org.admin)).upsertDatasource;
    expect(datasource.data).toMatchObject({ aiConfigId: id });
    const refused = await mutateById('deleteAiConfig', id);
    expect(refused).toMatchObject({ __typename: 'Conflict' });
    expect(refused.message).toMatch(/used by datasource "warehouse"/);
    await t.gql(`mutation { upsertDatasource(input: { name: "warehouse", dbType: POSTGRESQL, host: "127.0.0.1", port: 1, databaseName: "x", username: "x", verifyConnection: false }) { __typename } }`, undefined, org.admin);
    expect((await mutateById('deleteAiConfig', id)).__typename).toBe('MutationDeleteAiConfigSuccess');
    expect(ok(await t.gql<{ aiConfig: unknown }>('query($id: ID!) { aiConfig(id: $id) { id } }', { id }, org.admin)).aiConfig).toBeNull();
  });

  it('never shows the key: not in the audit log, not in a log line, and the events are there', async () => {
    const events = await superuserQuery<{ action: string; metadata: unknown }>(t.databaseUrl!, "select action, metadata from audit_events where action like 'AI_CONFIG_%' order by seq");
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['AI_CONFIG_CREATED', 'AI_CONFIG_UPDATED', 'AI_CONFIG_TESTED', 'AI_CONFIG_DELETED']));
    const everything = await superuserQuery<{ text: string }>(t.databaseUrl!, 'select coalesce(string_agg(metadata::text, \' \'), \'\') as text from audit_events');
    expect(everything[0]!.text).not.toContain(KEY);
    expect(everything[0]!.text).not.toContain('sk-ant-wrong-key');
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(KEY);
    expect(logLines.join('\n')).not.toContain('sk-ant-wrong-key');
  });
});

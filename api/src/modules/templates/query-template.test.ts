/**
 * Query templates through the public API on a real PostgreSQL store and target: versions on change, restore,
 * immutability in the database, visibility, and submission with bound parameters through the governed path.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createOrg, createTestApp, createUserWithKey, ok, rowCounts, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';

let t: TestApp;
let org: Org;
let targetUrl: string;
let datasourceId: string;
let analyst: Caller & { id: string };
let colleague: Caller & { id: string };

interface Result<T> {
  __typename: string;
  data?: T;
  message?: string;
  reason?: string;
  issues?: { path: string; message: string }[];
}
interface Template {
  id: string;
  name: string;
  visibility: string;
  currentVersion: number;
  versions: { version: number; body: string; placeholders: string[]; restoredFrom: number | null }[];
}
interface Request {
  id: string;
  status: string;
  result: { rows: unknown[][] } | null;
}

const TEMPLATE = 'id name visibility currentVersion versions { version body placeholders restoredFrom }';
const ERRORS = '... on Error { message } ... on ValidationError { issues { path message } }';

async function mutate<T>(field: string, type: string, input: Record<string, unknown>, selection: string, caller: Caller): Promise<Result<T>> {
  const name = `Mutation${field[0]!.toUpperCase()}${field.slice(1)}Success`;
  return ok(await t.gql<Record<string, Result<T>>>(
    `mutation($input: ${type}!) { ${field}(input: $input) { __typename ... on ${name} { data { ${selection} } } ${ERRORS}
      ${field === 'submitQueryFromTemplate' ? '... on QueryRejected { reason }' : ''} } }`,
    { input },
    caller,
  ))[field]!;
}
const upsert = (input: Record<string, unknown>, caller: Caller = analyst) => mutate<Template>('upsertQueryTemplate', 'UpsertQueryTemplateInput', input, TEMPLATE, caller);
const restore = (input: Record<string, unknown>, caller: Caller = analyst) => mutate<Template>('restoreQueryTemplateVersion', 'RestoreQueryTemplateVersionInput', input, TEMPLATE, caller);
const submit = (input: Record<string, unknown>, caller: Caller = analyst) =>
  mutate<Request>('submitQueryFromTemplate', 'SubmitQueryFromTemplateInput', { justification: 'test', ...input }, 'id status result { rows }', caller);

beforeAll(async () => {
  t = await createTestApp();
  org = await setupFirstOrg(t);
  targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, `create table orders (id int primary key, note text); insert into orders select i, 'note ' || i from generate_series(1, 10) i;`);
  const url = new URL(targetUrl);
  datasourceId = ok(await t.gql<{ upsertDatasource: Result<{ id: string }> }>(
    `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { message } } }`,
    { input: { name: 'shop', dbType: 'POSTGRESQL', host: url.hostname, port: Number(url.port), databaseName: url.pathname.slice(1), username: 'postgres' } },
    org.admin,
  )).upsertDatasource.data!.id;
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  colleague = await createUserWithKey(t, org.admin, 'ANALYST', 'colleague@acme.test');
  for (const userId of [analyst.id, colleague.id]) {
    ok(await t.gql(`mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }`, { input: { datasourceId, userId, canRead: true, canWrite: true } }, org.admin));
  }
});
afterAll(() => t.close());

describe('versions', () => {
  it('creates version 1, keeps it when nothing changed, adds version 2 on a new body, and restores as version 3', async () => {
    const first = await upsert({ name: 'order by id', body: 'select id, note from orders where id = :id', datasourceId });
    expect(first.data).toMatchObject({ visibility: 'PRIVATE', currentVersion: 1, versions: [{ version: 1, placeholders: ['id'] }] });
    const same = await upsert({ name: 'order by id', body: 'select id, note from orders where id = :id', datasourceId, description: 'now described' });
    expect(same.data).toMatchObject({ id: first.data!.id, currentVersion: 1 });
    const second = await upsert({ name: 'order by id', body: 'select id, note from orders where id between :low and :high', datasourceId });
    expect(second.data!.versions.map((v) => [v.version, v.placeholders])).toEqual([[2, ['low', 'high']], [1, ['id']]]);
    const restored = await restore({ templateId: first.data!.id, version: 1 });
    expect(restored.data!.versions[0]).toMatchObject({ version: 3, body: 'select id, note from orders where id = :id', restoredFrom: 1 });
  });

  it('diffs two versions, git style; an unknown version is NotFound', async () => {
    const id = (await upsert({ name: 'order by id', body: 'select id, note from orders where id = :id', datasourceId })).data!.id;
    const diff = async (fromVersion: number, toVersion: number) =>
      ok(await t.gql<{ queryTemplateDiff: Result<{ unified: string }> }>(
        'query($input: QueryTemplateDiffInput!) { queryTemplateDiff(input: $input) { __typename ... on QueryQueryTemplateDiffSuccess { data { unified } } ... on Error { message } } }',
        { input: { templateId: id, fromVersion, toVersion } },
        analyst,
      )).queryTemplateDiff;
    const unified = (await diff(1, 2)).data!.unified;
    expect(unified).toContain('--- order by id@1');
    expect(unified).toContain('+++ order by id@2');
    expect(unified).toContain('-select id, note from orders where id = :id');
    expect(unified).toContain('+select id, note from orders where id between :low and :high');
    expect((await diff(1, 3)).data!.unified).not.toMatch(/^[-+]select/m);
    expect((await diff(1, 42)).__typename).toBe('NotFound');
    expect((await ok(await t.gql<{ queryTemplateDiff: Result<unknown> }>('query($input: QueryTemplateDiffInput!) { queryTemplateDiff(input: $input) { __typename } }', { input: { templateId: id, fromVersion: 1, toVersion: 2 } }, colleague))).queryTemplateDiff.__typename).toBe('NotFound');
  });

  it('keeps versions immutable in the database: the application role cannot update one', async () => {
    const { store } = t.app.services;
    await expect(store.tenant(org.orgId, (em) => em.execute(`update query_template_versions set body = 'select 1'`))).rejects.toThrow(/permission denied/);
    const [row] = await superuserQuery<{ body: string }>(t.databaseUrl!, `select body from query_template_versions where version = 1`);
    expect(row!.body).toBe('select id, note from orders where id = :id');
  });

  it('refuses bad input with a typed error, writing nothing', async () => {
    const before = await rowCounts(t.databaseUrl!);
    expect((await upsert({ name: 'blank', body: '   ' })).__typename).toBe('ValidationError');
    expect((await upsert({ name: 'x', body: 'select 1', datasourceId: '00000000-0000-4000-8000-00000000cafe' })).__typename).toBe('NotFound');
    expect((await restore({ templateId: (await upsert({ name: 'order by id', body: 'select id, note from orders where id = :id', datasourceId })).data!.id, version: 99 })).__typename).toBe('NotFound');
    expect(await rowCounts(t.databaseUrl!)).toMatchObject({ query_template_versions: before['query_template_versions'], query_templates: before['query_templates'] });
  });
});

describe('submitQueryFromTemplate', () => {
  let templateId: string;
  beforeAll(async () => {
    templateId = (await upsert({ name: 'order by id', body: 'select id, note from orders where id = :id', datasourceId })).data!.id;
  });

  it('binds parameters as literals and submits through the governed path; the request runs', async () => {
    const result = await submit({ templateId, parameters: { id: 3 }, execute: true });
    expect(result.data).toMatchObject({ status: 'EXECUTED', result: { rows: [[3, 'note 3']] } });
    const [request] = await superuserQuery<{ sql_text: string }>(t.databaseUrl!, 'select sql_text from query_requests where id = $1', [result.data!.id]);
    expect(request!.sql_text).toBe('select id, note from orders where id = 3');
    const [used] = await superuserQuery<{ metadata: { templateId: string; version: number; parameterNames: string[] } }>(t.databaseUrl!, `select metadata from audit_events where action = 'QUERY_TEMPLATE_USED' and target_id = $1`, [result.data!.id]);
    expect(used!.metadata).toMatchObject({ templateId, version: 3, parameterNames: ['id'] });
  });

  it('submits an older version when asked', async () => {
    const result = await submit({ templateId, version: 2, parameters: { low: 2, high: 4 }, execute: true });
    expect(result.data!.result!.rows).toEqual([[2, 'note 2'], [3, 'note 3'], [4, 'note 4']]);
  });

  it('keeps a hostile value a literal: it matches no row and the table survives', async () => {
    // One SELECT comparing an int column with a string: PostgreSQL refuses the value at run time; nothing else runs.
    const result = await submit({ templateId, version: 2, parameters: { low: 1, high: '10); delete from orders; --' }, execute: true });
    expect(result.data).toMatchObject({ status: 'FAILED', result: null });
    const stringly = await upsert({ name: 'by note', body: 'select id from orders where note = :note', datasourceId });
    const run = await submit({ templateId: stringly.data!.id, parameters: { note: "x'; delete from orders; --" }, execute: true });
    expect(run.data).toMatchObject({ status: 'EXECUTED', result: { rows: [] } });
    expect((await superuserQuery<{ n: string }>(targetUrl, 'select count(*) as n from orders'))[0]!.n).toBe('10');
  });

  it('refuses an unbound or unknown placeholder, a table placeholder, and an unpinned template without a datasource; nothing is submitted', async () => {
    const before = await rowCounts(t.databaseUrl!);
    const unbound = await submit({ templateId, parameters: {} });
    expect(unbound).toMatchObject({ __typename: 'ValidationError', issues: [{ path: 'parameters.id', message: 'no value for the placeholder :id' }] });
    expect((await submit({ templateId, parameters: { id: 1, extra: 2 } })).issues).toEqual([{ path: 'parameters.extra', message: 'the template has no placeholder :extra' }]);
    const tableTemplate = (await upsert({ name: 'any table', body: 'select * from :table', datasourceId })).data!.id;
    const byTable = await submit({ templateId: tableTemplate, parameters: { table: 'orders' } });
    expect(byTable).toMatchObject({ __typename: 'QueryRejected', reason: 'PARSE_ERROR' });
    const unpinned = (await upsert({ name: 'unpinned', body: 'select 1' })).data!.id;
    expect((await submit({ templateId: unpinned })).__typename).toBe('ValidationError');
    const after = await rowCounts(t.databaseUrl!);
    expect(after['query_requests']).toBe(before['query_requests']);
    expect((await submit({ templateId: unpinned, datasourceId, execute: true })).data).toMatchObject({ status: 'EXECUTED' });
  });

  it('visibility: PRIVATE is invisible to others, TEAM is usable by them but changed only by its owner', async () => {
    expect((await submit({ templateId, parameters: { id: 1 } }, colleague)).__typename).toBe('NotFound');
    const shared = (await upsert({ name: 'shared', body: 'select id from orders where id = :id', visibility: 'TEAM', datasourceId })).data!.id;
    expect((await submit({ templateId: shared, parameters: { id: 1 }, execute: true }, colleague)).data).toMatchObject({ status: 'EXECUTED' });
    expect((await restore({ templateId: shared, version: 1 }, colleague)).__typename).toBe('Forbidden');
    const deleted = ok(await t.gql<{ deleteQueryTemplate: Result<string> }>('mutation($id: ID!) { deleteQueryTemplate(id: $id) { __typename } }', { id: shared }, colleague));
    expect(deleted.deleteQueryTemplate.__typename).toBe('Forbidden');
    // The colleague's upsert of the same name makes their own template, not an edit of the shared one.
    const own = await upsert({ name: 'shared', body: 'select 2' }, colleague);
    expect(own.data!.id).not.toBe(shared);
    const listed = ok(await t.gql<{ queryTemplates: { edges: { node: { name: string } }[] } }>('{ queryTemplates(first: 50, scope: TEAM) { edges { node { name } } } }', undefined, colleague));
    expect(listed.queryTemplates.edges.map((e) => e.node.name)).toEqual(['shared']);
  });

  it('is invisible to another organization', async () => {
    const other = await createOrg(t, org.admin, 'Globex', 'admin@globex.test');
    expect((await submit({ templateId, parameters: { id: 1 } }, other.admin)).__typename).toBe('NotFound');
    const read = ok(await t.gql<{ queryTemplate: unknown }>('query($id: ID!) { queryTemplate(id: $id) { id } }', { id: templateId }, other.admin));
    expect(read.queryTemplate).toBeNull();
  });

  it('the owner deletes a template with its versions, audited', async () => {
    const id = (await upsert({ name: 'doomed', body: 'select 1' })).data!.id;
    const deleted = ok(await t.gql<{ deleteQueryTemplate: Result<string> }>('mutation($id: ID!) { deleteQueryTemplate(id: $id) { __typename ... on MutationDeleteQueryTemplateSuccess { data } } }', { id }, analyst));
    expect(deleted.deleteQueryTemplate.data).toBe(id);
    expect(await superuserQuery(t.databaseUrl!, 'select 1 from query_template_versions where template_id = $1', [id])).toEqual([]);
    expect(await superuserQuery(t.databaseUrl!, `select 1 from audit_events where action = 'QUERY_TEMPLATE_DELETED' and target_id = $1`, [id])).toHaveLength(1);
  });
});

/**
 * Governed queries end to end against a real PostgreSQL target: datasource, plan, grants, masking, submit,
 * review, execute, cancel — and the races between them.
 */
import { inject, afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import {
  createTestApp,
  createUserWithKey,
  ok,
  rowCounts,
  setupFirstOrg,
  superuserQuery,
  type Caller,
  type Org,
  type TestApp,
} from '../../../test/harness.ts';
import { workflow } from './requests.fixture.ts';

let t: TestApp;
let org: Org;
let targetUrl: string;
let datasourceId: string;
let analyst: Caller & { id: string };
let reviewer: Caller & { id: string };
let secondReviewer: Caller & { id: string };
let { submit, decide, execute, cancel, mutate } = {} as ReturnType<typeof workflow>;

beforeAll(async () => {
  t = await createTestApp();
  ({ submit, decide, execute, cancel, mutate } = workflow(t, () => datasourceId));
  org = await setupFirstOrg(t);
  targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, `
    create table customers (id int primary key, name text, email text, region text);
    insert into customers select i, 'name ' || i, 'person' || i || '@example.com', case when i % 2 = 0 then 'eu' else 'us' end from generate_series(1, 30) i;
    create schema secret; create table secret.keys (id int);
    create table cards (id int primary key, pan text); insert into cards values (1, '4111111111111111');`);
  const url = new URL(targetUrl);
  const created = await mutate<{ id: string }>(
    'upsertDatasource',
    `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { code message } } }`,
    { input: { name: 'crm', dbType: 'POSTGRESQL', host: url.hostname, port: Number(url.port), databaseName: url.pathname.slice(1), username: 'postgres', password: 'unused-with-trust', maxRowsPerQuery: 20 } },
    org.admin,
  );
  datasourceId = created.data!.id;
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  reviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer@acme.test');
  secondReviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer2@acme.test');
  await mutate('upsertGrant', `mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename ... on Error { message } } }`,
    { input: { datasourceId, userId: analyst.id, canRead: true, canWrite: true, allowedSchemas: ['public'], restrictedColumns: ['customers.name'] } }, org.admin);
  await mutate('upsertMaskingPolicy', `mutation($input: UpsertMaskingPolicyInput!) { upsertMaskingPolicy(input: $input) { __typename ... on Error { message } } }`,
    { input: { datasourceId, columnRef: 'public.customers.email', strategy: 'EMAIL' } }, org.admin);
});
afterAll(() => t.close());

describe('reads', () => {
  it('auto-approves a low-risk read and returns masked rows in the same response', async () => {
    const result = await submit('select id, name, email from customers where id <= 3 order by id', analyst, { execute: true });
    expect(result.__typename).toBe('MutationSubmitQuerySuccess');
    const request = result.data!;
    expect(request).toMatchObject({ status: 'EXECUTED', queryType: 'SELECT', readOnly: true, tables: ['customers'] });
    expect(request.result!.rows).toEqual([
      [1, '***', 'p***@example.com'],
      [2, '***', 'p***@example.com'],
      [3, '***', 'p***@example.com'],
    ]);
  });

  it('masks what is read through a view, or a view of a view, of a table with masked columns (in full: a view column may be any expression)', async () => {
    await superuserQuery(targetUrl, `create view customers_v as select id, email as contact, upper(email) as shout from customers;
      create view customers_vv as select * from customers_v; create materialized view customers_mv as select id, email from customers;
      create view plain_v as select 1 as one`);
    for (const [sql, row] of [
      ['select contact, shout from customers_v where id = 1', ['***', '***']],
      ['select contact from customers_vv where id = 1', ['***']],
      ['select (select contact from customers_v where id = 1) as c', ['***']],
      ['select email from customers_mv where id = 1', ['***']],
    ] as const) {
      const request = (await submit(sql, analyst, { execute: true })).data!;
      expect(request.result!.rows, sql).toEqual([row]);
    }
    // A view over nothing masked masks nothing.
    expect((await submit('select one from plain_v', analyst, { execute: true })).data!.result!.rows).toEqual([[1]]);
  });

  it('masks in full what a function of unknown effect returns, after review (it may read a masked table)', async () => {
    await superuserQuery(targetUrl, "create function contact_of(int) returns text language sql stable as 'select email from customers where id = $1'");
    const submitted = (await submit('select contact_of(1) as contact', analyst)).data!;
    expect(submitted).toMatchObject({ status: 'PENDING_REVIEW', readOnly: false });
    await decide(submitted.id, 'APPROVE', reviewer);
    expect((await execute(submitted.id, analyst)).data!.result!.rows).toEqual([['***']]);
  });

  it('masks an aliased column through its source column', async () => {
    const request = (await submit('select email as contact from customers where id = 1', analyst, { execute: true })).data!;
    expect(request.result!.rows).toEqual([['p***@example.com']]);
  });

  it('caps rows at the datasource limit and says so', async () => {
    const request = (await submit('select id from customers order by id', analyst, { execute: true })).data!;
    expect(request.result).toMatchObject({ rowCount: 20, truncated: true });
  });

  it('refuses a table outside the allowed schemas, writing nothing', async () => {
    const before = await rowCounts(t.databaseUrl!);
    const result = await submit('select * from secret.keys', analyst);
    expect(result).toMatchObject({ __typename: 'Forbidden' });
    expect(result.message).toMatch(/secret\.keys/);
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);
  });

  it('compares names as PostgreSQL does: a quoted "Public" is not the allowed public schema', async () => {
    await superuserQuery(targetUrl, `create schema "Public"; create table "Public".keys (id int); insert into "Public".keys values (7)`);
    const before = await rowCounts(t.databaseUrl!);
    for (const sql of ['select * from "Public".keys', 'select * from public.customers join "Public".keys on true']) {
      const result = await submit(sql, analyst, { execute: true });
      expect(result, sql).toMatchObject({ __typename: 'Forbidden' });
      expect(result.message).toMatch(/Public\.keys/);
    }
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);
    // An unquoted name folds to lower case, as the server folds it: PUBLIC.customers is public.customers.
    const folded = (await submit('select id from PUBLIC.Customers where id = 1', analyst, { execute: true })).data!;
    expect(folded.result!.rows).toEqual([[1]]);
  });

  it('checks an unqualified pg_ name as the system catalog it resolves to (pg_catalog is searched before public)', async () => {
    await superuserQuery(targetUrl, 'create table public.pg_notes (id int); insert into public.pg_notes values (1)');
    const before = await rowCounts(t.databaseUrl!);
    for (const [sql, table] of [['select usename from pg_user', 'pg_catalog.pg_user'], ['select query from pg_stat_activity', 'pg_catalog.pg_stat_activity'], ['select * from pg_notes', 'pg_catalog.pg_notes']] as const) {
      const result = await submit(sql, analyst, { execute: true });
      expect(result, sql).toMatchObject({ __typename: 'Forbidden' });
      expect(result.message).toContain(table);
    }
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);
    // Qualified, a table of public with such a name is an ordinary table of public.
    const own = (await submit('select id from public.pg_notes', analyst, { execute: true })).data!;
    expect(own.result!.rows).toEqual([[1]]);
  });

  it("resolves unqualified names to public whatever the database's search_path says", async () => {
    await superuserQuery(targetUrl, `create table secret.customers (id int, name text, email text, region text);
      insert into secret.customers values (99, 'hidden', 'hidden@secret', 'xx')`);
    const database = new URL(targetUrl).pathname.slice(1);
    await superuserQuery(targetUrl, `alter database "${database}" set search_path = secret, public`);
    try {
      await t.gql('mutation($id: ID!) { testDatasourceConnection(id: $id) { __typename } }', { id: datasourceId }, org.admin);
      const request = (await submit('select id from customers where id = 99 or id = 1 order by id', analyst, { execute: true })).data!;
      expect(request.result!.rows).toEqual([[1]]);
    } finally {
      await superuserQuery(targetUrl, `alter database "${database}" reset search_path`);
    }
  });

  it('rejects what it cannot prove safe, with the reason', async () => {
    for (const [sql, reason] of [
      ['select 1; delete from customers', 'MULTIPLE_STATEMENTS'],
      ['select pg_sleep(10)', 'UNSAFE_FUNCTION'],
      ['selec * from customers', 'PARSE_ERROR'],
    ] as const) {
      const result = await submit(sql, analyst);
      expect(result, sql).toMatchObject({ __typename: 'QueryRejected', reason });
    }
  });
});

describe('writes and review', () => {
  it('holds an UPDATE for review; the submitter cannot approve it; a reviewer approves; the submitter runs it', async () => {
    const submitted = (await submit("update customers set region = 'apac' where id = 5", analyst)).data!;
    expect(submitted).toMatchObject({ status: 'PENDING_REVIEW', queryType: 'UPDATE', readOnly: false });
    const byAnalyst = await t.gql('mutation($input: DecideQueryRequestInput!) { decideQueryRequest(input: $input) { __typename } }', { input: { requestId: submitted.id, decision: 'APPROVE' } }, analyst);
    expect(byAnalyst.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await execute(submitted.id, analyst)).toMatchObject({ __typename: 'Conflict' });
    const queue = ok(await t.gql<{ reviewQueue: { edges: { node: { id: string; datasource: { name: string } } } [] } }>('{ reviewQueue { edges { node { id datasource { name } } } } }', undefined, reviewer));
    expect(queue.reviewQueue.edges.find((e) => e.node.id === submitted.id)?.node.datasource).toEqual({ name: 'crm' });
    // The reviewer holds no grant on the datasource: it is not in their list, though they review its requests.
    const visible = ok(await t.gql<{ datasources: { edges: unknown[] } }>('{ datasources { edges { node { id } } } }', undefined, reviewer));
    expect(visible.datasources.edges).toEqual([]);

    const approved = await decide(submitted.id, 'APPROVE', reviewer);
    expect(approved.data!).toMatchObject({ status: 'APPROVED', decisions: [{ decision: 'APPROVE', stage: 1 }] });
    expect(await execute(submitted.id, reviewer)).toMatchObject({ __typename: 'Forbidden' });
    const executed = (await execute(submitted.id, analyst)).data!;
    expect(executed).toMatchObject({ status: 'EXECUTED', rowsAffected: 1 });
    expect(await superuserQuery(targetUrl, 'select region from customers where id = 5')).toEqual([{ region: 'apac' }]);
  });

  it('does not let a reviewer approve their own request', async () => {
    await mutate('upsertGrant', `mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }`,
      { input: { datasourceId, userId: reviewer.id, canRead: true, canWrite: true } }, org.admin);
    const own = (await submit("update customers set region = 'own' where id = 2", reviewer)).data!;
    expect(await decide(own.id, 'APPROVE', reviewer)).toMatchObject({ __typename: 'Forbidden', message: 'nobody approves their own request' });
    expect(await decide(own.id, 'APPROVE', secondReviewer)).toMatchObject({ __typename: 'MutationDecideQueryRequestSuccess' });
  });

  it('needs a comment to reject, and one rejection ends the request', async () => {
    const submitted = (await submit('delete from customers where id = 30', analyst)).data!;
    expect(await decide(submitted.id, 'REJECT', reviewer)).toMatchObject({ __typename: 'ValidationError' });
    const rejected = await decide(submitted.id, 'REJECT', reviewer, 'not today');
    expect(rejected.data!.status).toBe('REJECTED');
    expect(await decide(submitted.id, 'APPROVE', secondReviewer)).toMatchObject({ __typename: 'Conflict' });
    expect(await superuserQuery(targetUrl, 'select count(*)::int as n from customers')).toEqual([{ n: 30 }]);
  });

  it('keeps the database error verbatim when a run fails', async () => {
    const submitted = (await submit("insert into customers (id, name) values (1, 'duplicate')", analyst)).data!;
    await decide(submitted.id, 'APPROVE', reviewer);
    const failed = (await execute(submitted.id, analyst)).data!;
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/duplicate key value violates unique constraint "customers_pkey"/);
  });

  it('returns the same request for a repeated clientRequestId', async () => {
    const first = (await submit("update customers set region = 'x' where id = 7", analyst, { clientRequestId: 'ci-run-42-step-3' })).data!;
    const second = (await submit("update customers set region = 'x' where id = 7", analyst, { clientRequestId: 'ci-run-42-step-3' })).data!;
    expect(second.id).toBe(first.id);
  });
});

describe('races', () => {
  it('two reviewers approving at once leave one approval and one APPROVED', async () => {
    const submitted = (await submit("update customers set region = 'r1' where id = 9", analyst)).data!;
    const outcomes = await Promise.all([decide(submitted.id, 'APPROVE', reviewer), decide(submitted.id, 'APPROVE', secondReviewer)]);
    expect(outcomes.map((o) => o.__typename).sort()).toEqual(['Conflict', 'MutationDecideQueryRequestSuccess']);
    const decisions = await superuserQuery(t.databaseUrl!, 'select count(*)::int as n from review_decisions where request_id = $1', [submitted.id]);
    expect(decisions).toEqual([{ n: 1 }]);
  });

  it('an execute racing a cancel leaves exactly one outcome', async () => {
    const submitted = (await submit("update customers set region = 'r2' where id = 11", analyst)).data!;
    await decide(submitted.id, 'APPROVE', reviewer);
    const [ran, cancelled] = await Promise.all([execute(submitted.id, analyst), cancel(submitted.id, analyst)]);
    const winners = [ran, cancelled].filter((o) => o.__typename.endsWith('Success'));
    expect(winners).toHaveLength(1);
    const [row] = await superuserQuery<{ status: string }>(t.databaseUrl!, 'select status from query_requests where id = $1', [submitted.id]);
    const region = await superuserQuery(targetUrl, 'select region from customers where id = 11');
    if (row!.status === 'EXECUTED') expect(region).toEqual([{ region: 'r2' }]);
    else expect(row!.status).toBe('CANCELLED');
  });
});

describe('row security', () => {
  let scoped: Caller & { id: string };
  beforeAll(async () => {
    scoped = await createUserWithKey(t, org.admin, 'ANALYST', 'scoped@acme.test');
    await mutate('updateUser', 'mutation($id: ID!) { updateUser(input: { id: $id, attributes: { region: "eu" } }) { __typename } }', { id: scoped.id }, org.admin);
    await mutate('upsertGrant', 'mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }',
      { input: { datasourceId, userId: scoped.id, canRead: true, canWrite: true } }, org.admin);
    const policy = await mutate<{ id: string }>('upsertRowSecurityPolicy',
      `mutation($input: UpsertRowSecurityPolicyInput!) { upsertRowSecurityPolicy(input: $input) { __typename ... on MutationUpsertRowSecurityPolicySuccess { data { id } } ... on Error { message } } }`,
      { input: { datasourceId, tableName: 'customers', columnName: 'region', operator: 'EQUALS', valueType: 'VARIABLE', valueExpression: ':user.region', appliesToUserIds: [scoped.id] } }, org.admin);
    expect(policy.__typename).toBe('MutationUpsertRowSecurityPolicySuccess');
  });

  it('filters what a scoped user reads, and leaves others unfiltered', async () => {
    const mine = (await submit('select id, region from customers where id between 1 and 4 order by id', scoped, { execute: true })).data!;
    expect(mine.result!.rows).toEqual([[2, 'eu'], [4, 'eu']]);
    const theirs = (await submit('select id from customers where id between 1 and 4 order by id', analyst, { execute: true })).data!;
    expect(theirs.result!.rows).toEqual([[1], [2], [3], [4]]);
  });

  it('keeps a scoped write inside the allowed rows', async () => {
    const submitted = (await submit("update customers set name = 'touched' where id in (3, 4)", scoped)).data!;
    await decide(submitted.id, 'APPROVE', reviewer);
    expect((await execute(submitted.id, scoped)).data!).toMatchObject({ status: 'EXECUTED', rowsAffected: 1 });
    expect(await superuserQuery(targetUrl, "select id from customers where name = 'touched' order by id")).toEqual([{ id: 4 }]);
  });

  it('refuses shapes it cannot filter safely, before review', async () => {
    const result = await submit('select id from customers union select id from customers', scoped);
    expect(result).toMatchObject({ __typename: 'QueryRejected', reason: 'ROW_SECURITY_UNREWRITABLE' });
  });

  it('refuses a read or a write through a view of a row-secured table, which it cannot filter', async () => {
    await superuserQuery(targetUrl, 'create view customers_rs_v as select id, region, name from customers; create view customers_rs_vv as select * from customers_rs_v');
    const before = await superuserQuery(targetUrl, 'select id, name from customers order by id');
    for (const sql of ['select id from customers_rs_v', 'select id from customers_rs_vv', 'select (select count(*) from customers_rs_v) as n', "update customers_rs_v set name = 'via view'"]) {
      const submitted = await submit(sql, scoped, { execute: true });
      if (submitted.__typename === 'MutationSubmitQuerySuccess' && submitted.data!.status === 'PENDING_REVIEW') {
        await decide(submitted.data!.id, 'APPROVE', reviewer);
        const ran = (await execute(submitted.data!.id, scoped)).data!;
        expect(ran, sql).toMatchObject({ status: 'FAILED', result: null });
        expect(ran.error, sql).toMatch(/customers_rs_v.*reads the row-secured table public\.customers/);
      } else {
        expect(submitted.data, sql).toMatchObject({ status: 'FAILED', result: null });
        expect(submitted.data!.error, sql).toMatch(/customers_rs_vv?.*reads the row-secured table public\.customers/);
      }
    }
    expect(await superuserQuery(targetUrl, 'select id, name from customers order by id')).toEqual(before);
    // Someone no row-security policy applies to reads through the view (masked in full: their masking covers customers).
    expect((await submit('select count(*) as n from customers_rs_v', analyst, { execute: true })).data).toMatchObject({ status: 'EXECUTED', result: { rows: [['***']] } });
  });

  it('refuses a function of unknown effect at submission, which row security cannot see into', async () => {
    await superuserQuery(targetUrl, "create function region_count(text) returns bigint language sql stable as 'select count(*) from customers where region = $1'");
    const result = await submit("select region_count('us') as n", scoped, { execute: true });
    expect(result).toMatchObject({ __typename: 'QueryRejected', reason: 'ROW_SECURITY_UNREWRITABLE' });
    expect(result.message).toMatch(/region_count may read tables that row security/);
    // Built-in functions known to be side-effect free are fine.
    expect((await submit("select lower(region) from customers where id = 2", scoped, { execute: true })).data).toMatchObject({ status: 'EXECUTED' });
  });

  it('shows no rows when the variable has no value', async () => {
    await mutate('updateUser', 'mutation($id: ID!) { updateUser(input: { id: $id, attributes: {} }) { __typename } }', { id: scoped.id }, org.admin);
    const none = (await submit('select id from customers', scoped, { execute: true })).data!;
    expect(none.result!.rows).toEqual([]);
  });
});

describe('data classification tags', () => {
  it('derive masking for a tagged column and raise the risk of queries that touch it', async () => {
    const before = (await submit('select id, pan from cards', analyst, { execute: true })).data!;
    expect(before.result!.rows).toEqual([[1, '4111111111111111']]);
    const tag = 'mutation($input: UpsertClassificationTagInput!) { upsertClassificationTag(input: $input) { __typename ... on MutationUpsertClassificationTagSuccess { data { id } } } }';
    const first = await mutate<{ id: string }>('upsertClassificationTag', tag, { input: { datasourceId, tableName: 'cards', columnName: 'pan', classification: 'PCI' } }, org.admin);
    const again = await mutate<{ id: string }>('upsertClassificationTag', tag, { input: { datasourceId, tableName: 'Cards', columnName: 'PAN', classification: 'PCI' } }, org.admin);
    expect(again.data!.id).toBe(first.data!.id);
    const after = (await submit('select id, pan from cards', analyst, { execute: true })).data!;
    expect(after.result!.rows).toEqual([[1, '***']]);
    expect(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].indexOf(after.riskLevel)).toBeGreaterThan(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].indexOf(before.riskLevel));
    const policies = ok(await t.gql<{ maskingPolicies: { edges: { node: { columnRef: string; strategy: string } }[] } }>(
      'query($ds: ID!) { maskingPolicies(datasourceId: $ds) { edges { node { columnRef strategy } } } }', { ds: datasourceId }, org.admin));
    expect(policies.maskingPolicies.edges.map((e) => e.node)).toContainEqual({ columnRef: 'cards.pan', strategy: 'FULL' });
  });
});

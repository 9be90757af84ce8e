/**
 * Every mutation of the schema, run once successfully, appends at least one audit event. A mutation added to
 * the schema without a step here fails the first test, so new mutations cannot skip the audit log.
 */
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createApiKey, createTestApp, createUserWithKey, login, ok, PASSWORD, superuserQuery, type TestApp } from '../../../test/harness.ts';
import { getSchema } from '../../graphql/schema.ts';

let t: TestApp;
const auditCount = async () => Number((await superuserQuery<{ n: string }>(t.databaseUrl!, 'select count(*) as n from audit_events'))[0]!.n);

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('audits every mutation', async () => {
  const mutations = Object.keys(getSchema().getMutationType()!.getFields()).sort();
  const ids: Record<string, string> = {};
  const auth = () => ({ authorization: ids['adminAuth']! });
  const call = async (query: string, variables?: Record<string, unknown>, caller = auth()) => {
    const data = ok(await t.gql<Record<string, { __typename: string; message?: string; data?: unknown }>>(query, variables, caller));
    const result = Object.values(data)[0]!;
    if (!result.__typename.endsWith('Success')) throw new Error(`${query}: ${result.__typename} ${result.message}`);
    return result.data;
  };
  const steps: Record<string, () => Promise<unknown>> = {
    setup: async () => {
      const data = ok(await t.gql<{ setup: { data: { accessToken: string; user: { id: string } } } }>(
        `mutation($input: SetupInput!) { setup(input: $input) { ... on MutationSetupSuccess { data { accessToken user { id } } } } }`,
        { input: { setupToken: t.setupToken, organizationName: 'Acme', email: 'admin@acme.test', password: PASSWORD, displayName: 'Admin' } }));
      ids['adminAuth'] = `Bearer ${data.setup.data.accessToken}`;
    },
    login: () => call(`mutation { login(input: { email: "admin@acme.test", password: "${PASSWORD}" }) { __typename ... on MutationLoginSuccess { data { refreshToken } } } }`, undefined, {} as never)
      .then((d) => (ids['refresh'] = (d as { refreshToken: string }).refreshToken)),
    refreshSession: () => call(`mutation($t: String!) { refreshSession(refreshToken: $t) { __typename } }`, { t: ids['refresh'] }, {} as never),
    logout: async () => call('mutation { logout { __typename } }', undefined, await login(t, 'admin@acme.test')),
    createUser: async () => {
      const user = await createUserWithKey(t, auth(), 'ANALYST', 'analyst@acme.test');
      ids['user'] = user.id;
      ids['analystAuth'] = user.authorization;
    },
    updateUser: () => call('mutation($id: ID!) { updateUser(input: { id: $id, displayName: "Renamed" }) { __typename } }', { id: ids['user'] }),
    deactivateUser: () => call('mutation($id: ID!) { deactivateUser(id: $id) { __typename } }', { id: ids['user'] }),
    reactivateUser: () => call('mutation($id: ID!) { reactivateUser(id: $id) { __typename } }', { id: ids['user'] }),
    createServiceAccount: () => call('mutation { createServiceAccount(input: { name: "bot", role: ANALYST }) { __typename } }'),
    upsertServiceAccount: () => call('mutation { upsertServiceAccount(input: { name: "terraform", role: ADMIN }) { __typename ... on MutationUpsertServiceAccountSuccess { data { id } } } }')
      .then((d) => (ids['serviceAccount'] = (d as { id: string }).id)),
    deleteServiceAccount: () => call('mutation($id: ID!) { deleteServiceAccount(id: $id) { __typename } }', { id: ids['serviceAccount'] }),
    createApiKey: async () => (ids['key'] = (await createApiKey(t, auth())).id),
    revokeApiKey: () => call('mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }', { id: ids['key'] }),
    upsertUserGroup: () => call('mutation { upsertUserGroup(input: { name: "g" }) { __typename ... on MutationUpsertUserGroupSuccess { data { id } } } }')
      .then((d) => (ids['group'] = (d as { id: string }).id)),
    deleteUserGroup: () => call('mutation($id: ID!) { deleteUserGroup(id: $id) { __typename } }', { id: ids['group'] }),
    createOrganization: () => call(`mutation { createOrganization(input: { name: "Globex", admin: { email: "a@globex.test", password: "${PASSWORD}", displayName: "A" } }) {
      __typename ... on MutationCreateOrganizationSuccess { data { id } } } }`).then((d) => (ids['org'] = (d as { id: string }).id)),
    updateOrganization: () => call('mutation($id: ID!) { updateOrganization(input: { id: $id, maxUsers: 5 }) { __typename } }', { id: ids['org'] }),
    exportAuditEvents: () => call('mutation { exportAuditEvents { __typename } }'),
    upsertReviewPlan: () => call('mutation { upsertReviewPlan(input: { name: "p" }) { __typename ... on MutationUpsertReviewPlanSuccess { data { id } } } }')
      .then((d) => (ids['plan'] = (d as { id: string }).id)),
    upsertNotificationChannel: () => call('mutation { upsertNotificationChannel(input: { name: "hook", channelType: WEBHOOK, config: { url: "http://127.0.0.1:9/hook" }, secrets: { secret: "0123456789abcdef" } }) { __typename ... on MutationUpsertNotificationChannelSuccess { data { id } } ... on Error { message } } }')
      .then((d) => (ids['channel'] = (d as { id: string }).id)),
    testNotificationChannel: () => call('mutation($id: ID!) { testNotificationChannel(id: $id) { __typename ... on Error { message } } }', { id: ids['channel'] }),
    deleteNotificationChannel: () => call('mutation($id: ID!) { deleteNotificationChannel(id: $id) { __typename ... on Error { message } } }', { id: ids['channel'] }),
    upsertAiConfig: () => call('mutation { upsertAiConfig(input: { name: "local", aiProvider: OLLAMA, model: "llama", endpoint: "http://127.0.0.1:9", timeoutMs: 1000 }) { __typename ... on MutationUpsertAiConfigSuccess { data { id } } ... on Error { message } } }')
      .then((d) => (ids['aiConfig'] = (d as { id: string }).id)),
    testAiConfig: () => call('mutation($id: ID!) { testAiConfig(id: $id) { __typename ... on Error { message } } }', { id: ids['aiConfig'] }),
    upsertDatasource: async () => {
      const url = new URL(await createPostgresDatabase(inject('postgresUrl')));
      await superuserQuery(url.toString(), 'create table t (id int primary key, v text); insert into t values (1, $$a$$)');
      const d = await call(`mutation($port: Int!, $db: String!) { upsertDatasource(input: { name: "db", dbType: POSTGRESQL, host: "127.0.0.1", port: $port, databaseName: $db, username: "postgres" }) {
        __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { message } } }`, { port: Number(url.port), db: url.pathname.slice(1) });
      ids['ds'] = (d as { id: string }).id;
    },
    testDatasourceConnection: () => call('mutation($id: ID!) { testDatasourceConnection(id: $id) { __typename } }', { id: ids['ds'] }),
    refreshDatasourceSchema: () => call('mutation($id: ID!) { refreshDatasourceSchema(datasourceId: $id) { __typename ... on Error { message } } }', { id: ids['ds'] }),
    previewTable: () => call('mutation($ds: ID!) { previewTable(input: { datasourceId: $ds, table: "t", limit: 1 }) { __typename ... on Error { message } } }', { ds: ids['ds'] }),
    upsertGrant: () => call('mutation($ds: ID!, $u: ID!) { upsertGrant(input: { datasourceId: $ds, userId: $u, canWrite: true }) { __typename ... on MutationUpsertGrantSuccess { data { id } } } }', { ds: ids['ds'], u: ids['user'] })
      .then((d) => (ids['grant'] = (d as { id: string }).id)),
    upsertMaskingPolicy: () => call('mutation($ds: ID!) { upsertMaskingPolicy(input: { datasourceId: $ds, columnRef: "t.v", strategy: FULL }) { __typename ... on MutationUpsertMaskingPolicySuccess { data { id } } } }', { ds: ids['ds'] })
      .then((d) => (ids['masking'] = (d as { id: string }).id)),
    submitQuery: () => call(`mutation($ds: ID!) { submitQuery(input: { datasourceId: $ds, query: "update t set v = 'b' where id = 1" }) { __typename ... on MutationSubmitQuerySuccess { data { id } } ... on Error { message } } }`, { ds: ids['ds'] }, { authorization: ids['analystAuth']! })
      .then((d) => (ids['request'] = (d as { id: string }).id)),
    decideQueryRequest: () => call('mutation($id: ID!) { decideQueryRequest(input: { requestId: $id, decision: APPROVE }) { __typename ... on Error { message } } }', { id: ids['request'] }),
    executeQueryRequest: () => call('mutation($id: ID!) { executeQueryRequest(id: $id) { __typename ... on Error { message } } }', { id: ids['request'] }, { authorization: ids['analystAuth']! }),
    submitRequestGroup: () => call(`mutation($ds: ID!) { submitRequestGroup(input: { name: "release", members: [{ datasourceId: $ds, query: "update t set v = 'h' where id = 1" }] }) { __typename ... on MutationSubmitRequestGroupSuccess { data { id } } ... on Error { message } } }`, { ds: ids['ds'] }, { authorization: ids['analystAuth']! })
      .then((d) => (ids['requestGroup'] = (d as { id: string }).id)),
    decideRequestGroup: () => call('mutation($id: ID!) { decideRequestGroup(input: { requestGroupId: $id, decision: APPROVE }) { __typename ... on Error { message } } }', { id: ids['requestGroup'] }),
    executeRequestGroup: () => call('mutation($id: ID!) { executeRequestGroup(id: $id) { __typename ... on Error { message } } }', { id: ids['requestGroup'] }, { authorization: ids['analystAuth']! }),
    cancelRequestGroup: async () => {
      const d = await call(`mutation($ds: ID!) { submitRequestGroup(input: { name: "later", members: [{ datasourceId: $ds, query: "update t set v = 'i' where id = 1" }] }) { __typename ... on MutationSubmitRequestGroupSuccess { data { id } } } }`, { ds: ids['ds'] }, { authorization: ids['analystAuth']! });
      return call('mutation($id: ID!) { cancelRequestGroup(id: $id) { __typename ... on Error { message } } }', { id: (d as { id: string }).id }, { authorization: ids['analystAuth']! });
    },
    requestAccess: () => call('mutation($ds: ID!) { requestAccess(input: { datasourceId: $ds, canRead: true, durationMinutes: 60, justification: "ticket 9" }) { __typename ... on MutationRequestAccessSuccess { data { id } } ... on Error { message } } }', { ds: ids['ds'] }, { authorization: ids['analystAuth']! })
      .then((d) => (ids['access'] = (d as { id: string }).id)),
    decideAccessRequest: () => call('mutation($id: ID!) { decideAccessRequest(input: { requestId: $id, decision: APPROVE }) { __typename ... on Error { message } } }', { id: ids['access'] }),
    revokeAccessRequest: () => call('mutation($id: ID!) { revokeAccessRequest(input: { id: $id }) { __typename ... on Error { message } } }', { id: ids['access'] }),
    cancelAccessRequest: async () => {
      const d = await call('mutation($ds: ID!) { requestAccess(input: { datasourceId: $ds, canWrite: true, durationMinutes: 30, justification: "ticket 10" }) { __typename ... on MutationRequestAccessSuccess { data { id } } } }', { ds: ids['ds'] }, { authorization: ids['analystAuth']! });
      return call('mutation($id: ID!) { cancelAccessRequest(id: $id) { __typename ... on Error { message } } }', { id: (d as { id: string }).id }, { authorization: ids['analystAuth']! });
    },
    breakGlassQuery: async () => {
      await call('mutation($ds: ID!, $u: ID!) { upsertGrant(input: { datasourceId: $ds, userId: $u, canRead: true, canWrite: true, canBreakGlass: true }) { __typename } }', { ds: ids['ds'], u: ids['user'] });
      const run = await call(`mutation($ds: ID!) { breakGlassQuery(input: { datasourceId: $ds, query: "update t set v = 'g' where id = 1", justification: "incident 42: unblock checkout" }) { __typename ... on MutationBreakGlassQuerySuccess { data { id } } ... on Error { message } } }`, { ds: ids['ds'] }, { authorization: ids['analystAuth']! });
      ids['glass'] = (run as { id: string }).id;
    },
    acknowledgeBreakGlass: () => call('mutation($id: ID!) { acknowledgeBreakGlass(input: { requestId: $id, comment: "reviewed" }) { __typename ... on Error { message } } }', { id: ids['glass'] }),
    previewQueryImpact: async () => {
      const d = await call(`mutation($ds: ID!) { submitQuery(input: { datasourceId: $ds, query: "update t set v = 'p' where id = 1" }) { __typename ... on MutationSubmitQuerySuccess { data { id } } } }`, { ds: ids['ds'] }, { authorization: ids['analystAuth']! });
      return call('mutation($id: ID!) { previewQueryImpact(id: $id) { __typename ... on Error { message } } }', { id: (d as { id: string }).id });
    },
    reviseQueryRequest: async () => {
      const submitted = await call(`mutation($ds: ID!) { submitQuery(input: { datasourceId: $ds, query: "update t set v = 'c' where id = 1" }) { __typename ... on MutationSubmitQuerySuccess { data { id } } } }`, { ds: ids['ds'] }, { authorization: ids['analystAuth']! });
      const id = (submitted as { id: string }).id;
      await call('mutation($id: ID!) { decideQueryRequest(input: { requestId: $id, decision: REQUEST_CHANGES, comment: "narrow it" }) { __typename ... on Error { message } } }', { id });
      return call(`mutation($id: ID!) { reviseQueryRequest(input: { requestId: $id, query: "update t set v = 'c' where id = 1 and v = 'b'" }) { __typename ... on Error { message } } }`, { id }, { authorization: ids['analystAuth']! });
    },
    decideQueryRequests: async () => {
      const submitted = await call(`mutation($ds: ID!) { submitQuery(input: { datasourceId: $ds, query: "update t set v = 'd' where id = 1" }) { __typename ... on MutationSubmitQuerySuccess { data { id } } } }`, { ds: ids['ds'] }, { authorization: ids['analystAuth']! });
      return call('mutation($id: ID!) { decideQueryRequests(input: { requestIds: [$id], decision: APPROVE }) { __typename ... on Error { message } } }', { id: (submitted as { id: string }).id });
    },
    cancelQueryRequest: async () => {
      const d = await call(`mutation($ds: ID!) { submitQuery(input: { datasourceId: $ds, query: "delete from t where id = 1" }) { __typename ... on MutationSubmitQuerySuccess { data { id } } } }`, { ds: ids['ds'] }, { authorization: ids['analystAuth']! });
      return call('mutation($id: ID!) { cancelQueryRequest(id: $id) { __typename ... on Error { message } } }', { id: (d as { id: string }).id }, { authorization: ids['analystAuth']! });
    },
    upsertRowSecurityPolicy: () => call('mutation($ds: ID!) { upsertRowSecurityPolicy(input: { datasourceId: $ds, tableName: "t", columnName: "v", operator: EQUALS, valueType: LITERAL, valueExpression: "a" }) { __typename ... on MutationUpsertRowSecurityPolicySuccess { data { id } } } }', { ds: ids['ds'] })
      .then((d) => (ids['rowPolicy'] = (d as { id: string }).id)),
    deleteRowSecurityPolicy: () => call('mutation($id: ID!) { deleteRowSecurityPolicy(id: $id) { __typename } }', { id: ids['rowPolicy'] }),
    upsertClassificationTag: () => call('mutation($ds: ID!) { upsertClassificationTag(input: { datasourceId: $ds, tableName: "t", columnName: "v", classification: PII }) { __typename ... on MutationUpsertClassificationTagSuccess { data { id } } } }', { ds: ids['ds'] })
      .then((d) => (ids['tag'] = (d as { id: string }).id)),
    deleteClassificationTag: () => call('mutation($id: ID!) { deleteClassificationTag(id: $id) { __typename } }', { id: ids['tag'] }),
    upsertRoutingPolicy: () => call('mutation { upsertRoutingPolicy(input: { name: "reads", priority: 1, condition: { type: "query_type", any_of: ["SELECT"] }, action: AUTO_APPROVE }) { __typename ... on MutationUpsertRoutingPolicySuccess { data { id } } ... on Error { message } } }')
      .then((d) => (ids['routing'] = (d as { id: string }).id)),
    reorderRoutingPolicies: () => call('mutation($id: ID!) { reorderRoutingPolicies(input: { ids: [$id] }) { __typename ... on Error { message } } }', { id: ids['routing'] }),
    deleteRoutingPolicy: () => call('mutation($id: ID!) { deleteRoutingPolicy(id: $id) { __typename } }', { id: ids['routing'] }),
    upsertQueryTemplate: () => call('mutation($ds: ID!) { upsertQueryTemplate(input: { name: "by id", body: "select v from t where id = :id", datasourceId: $ds }) { __typename ... on MutationUpsertQueryTemplateSuccess { data { id } } ... on Error { message } } }', { ds: ids['ds'] })
      .then((d) => (ids['template'] = (d as { id: string }).id)),
    restoreQueryTemplateVersion: () => call('mutation($id: ID!) { restoreQueryTemplateVersion(input: { templateId: $id, version: 1 }) { __typename ... on Error { message } } }', { id: ids['template'] }),
    submitQueryFromTemplate: () => call('mutation($id: ID!) { submitQueryFromTemplate(input: { templateId: $id, parameters: { id: 1 } }) { __typename ... on Error { message } } }', { id: ids['template'] }),
    deleteQueryTemplate: () => call('mutation($id: ID!) { deleteQueryTemplate(id: $id) { __typename } }', { id: ids['template'] }),
    deleteMaskingPolicy: () => call('mutation($id: ID!) { deleteMaskingPolicy(id: $id) { __typename } }', { id: ids['masking'] }),
    deleteGrant: () => call('mutation($id: ID!) { deleteGrant(id: $id) { __typename } }', { id: ids['grant'] }),
    deleteDatasource: () => call('mutation($id: ID!) { deleteDatasource(id: $id) { __typename } }', { id: ids['ds'] }),
    deleteAiConfig: () => call('mutation($id: ID!) { deleteAiConfig(id: $id) { __typename ... on Error { message } } }', { id: ids['aiConfig'] }),
    deleteReviewPlan: () => call('mutation($id: ID!) { deleteReviewPlan(id: $id) { __typename } }', { id: ids['plan'] }),
  };
  expect(Object.keys(steps).sort()).toEqual(mutations);

  const unaudited: string[] = [];
  for (const [name, step] of Object.entries(steps)) {
    const before = await auditCount();
    await step();
    if ((await auditCount()) <= before) unaudited.push(name);
  }
  expect(unaudited).toEqual([]);
});

/**
 * The authorisation matrix, generated from the schema: every Query, Mutation and Subscription field is called
 * with no credentials, with each role, and (for fields that take an id) by an admin of another organization.
 * A new field is covered without editing this file; one without an @auth or @public directive fails it.
 */
import { randomUUID } from 'node:crypto';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrg,
  createTestApp,
  createUserWithKey,
  ok,
  rowCounts,
  setupFirstOrg,
  type Caller,
  type GraphQLResponse,
  type TestApp,
} from '../../test/harness.ts';
import { ROLES, roleHas, type Permission, type Role } from '../modules/identity/permissions.ts';
import { getSchema } from './schema.ts';

type RootKind = 'query' | 'mutation' | 'subscription';
interface RootField {
  kind: RootKind;
  field: GraphQLField<unknown, unknown>;
  requires: string | null;
}

const schema = getSchema();
const roots: [RootKind, GraphQLObjectType | null | undefined][] = [
  ['query', schema.getQueryType()],
  ['mutation', schema.getMutationType()],
  ['subscription', schema.getSubscriptionType()],
];
const fields: RootField[] = roots.flatMap(([kind, type]) =>
  Object.values(type?.getFields() ?? {}).map((field) => ({ kind, field, requires: requirementOf(field) })),
);

function requirementOf(field: GraphQLField<unknown, unknown>): string | null {
  const directives = field.astNode?.directives ?? [];
  const auth = directives.find((d) => d.name.value === 'auth');
  if (auth) {
    const arg = auth.arguments?.find((a) => a.name.value === 'requires');
    return arg?.value.kind === 'StringValue' ? arg.value.value : 'INVALID';
  }
  return directives.some((d) => d.name.value === 'public') ? null : 'MISSING';
}

function allowed(requires: string | null, role: Role, platformAdmin: boolean): boolean {
  if (requires === null || requires === 'AUTHENTICATED') return true;
  if (requires === 'PLATFORM_ADMIN') return platformAdmin;
  return roleHas(role, requires as Permission);
}

/** Arguments and input fields that reference an object by id, and the type they reference. */
const ID_REFERENCES: Record<string, string> = {
  datasourceId: 'Datasource',
  requestId: 'QueryRequest',
  userId: 'User',
  groupId: 'UserGroup',
  reviewPlanId: 'ReviewPlan',
  templateId: 'QueryTemplate',
  requestGroupId: 'RequestGroup',
  aiConfigId: 'AiConfig',
  channelId: 'NotificationChannel',
};

/**
 * A value of `type` that passes GraphQL validation (business rules may still refuse it). With `ids`, every id
 * reference (`id` → `idFor`, `datasourceId`, `userId` …) points at that object of the first organization.
 */
function sampleValue(type: GraphQLInputType, ids: Record<string, string> | null, idFor: string | null, name = ''): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType, ids, idFor, name);
  const reference = name === 'id' ? idFor : ID_REFERENCES[name];
  if (ids && reference && getNamedType(type).name === 'ID' && !isListType(type)) return ids[reference] ?? randomUUID();
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    const fields = Object.values(type.getFields());
    // A user and a group are alternative subjects (grants): reference the user only.
    const alternatives = fields.some((f) => f.name === 'userId') ? new Set(['groupId']) : new Set<string>();
    for (const field of fields) {
      const referenced = ids && (field.name === 'id' || ID_REFERENCES[field.name]) && !alternatives.has(field.name) && getNamedType(field.type).name === 'ID';
      if (!isNonNullType(field.type) && !referenced) continue;
      value[field.name] = sampleValue(field.type, ids, idFor, field.name);
    }
    return value;
  }
  switch (getNamedType(type).name) {
    case 'ID':
      return randomUUID();
    case 'Int':
      return 1;
    case 'Boolean':
      return false;
    case 'DateTime':
      return new Date(Date.now() + 86_400_000).toISOString();
    case 'JSON':
      return {};
    default:
      return 'sample';
  }
}

/** `{ __typename }`, or a union's member names, so every field is selectable without knowing its type. */
function selection(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (isScalarType(named) || isEnumType(named)) return '';
  if (named.name.endsWith('Connection')) return '{ edges { node { __typename } } }';
  return '{ __typename }';
}

/** Fields whose `id` names something other than what they return. */
const ID_TARGET_OVERRIDES: Record<string, string> = { testDatasourceConnection: 'Datasource', previewQueryImpact: 'QueryRequest', testAiConfig: 'AiConfig', testNotificationChannel: 'NotificationChannel' };

/** The object type an id argument of this field refers to (User for user(id), deactivateUser(id), …). */
function targetTypeOf(field: GraphQLField<unknown, unknown>): string | null {
  if (ID_TARGET_OVERRIDES[field.name]) return ID_TARGET_OVERRIDES[field.name]!;
  let named = getNamedType(field.type);
  if (isUnionType(named)) {
    const success = named.getTypes().find((t) => t.name.endsWith('Success'));
    if (success) named = getNamedType(success.getFields()['data']!.type);
  }
  if (isObjectType(named) && !named.name.endsWith('Connection')) return named.name;
  const deleted = /^delete([A-Z]\w*)$/.exec(field.name);
  return deleted ? deleted[1]! : null;
}

/** Whether the field references an object by id, directly or in its input. */
function takesId(field: GraphQLField<unknown, unknown>): boolean {
  const referencing = (name: string) => name === 'id' || name in ID_REFERENCES;
  return field.args.some((arg) => {
    const named = getNamedType(arg.type);
    if (isInputObjectType(named)) return Object.values(named.getFields()).some((f) => referencing(f.name) && getNamedType(f.type).name === 'ID' && !isListType(isNonNullType(f.type) ? f.type.ofType : f.type));
    return referencing(arg.name) && named.name === 'ID';
  });
}

function operation(root: RootField, ids: Record<string, string>, idFor: string | null) {
  const crossOrg = idFor !== null;
  const variables: Record<string, unknown> = {};
  const params: string[] = [];
  const args: string[] = [];
  for (const arg of root.field.args) {
    const referenced = crossOrg && (arg.name === 'id' || arg.name in ID_REFERENCES || isInputObjectType(getNamedType(arg.type)));
    if (!isNonNullType(arg.type) && !referenced) continue;
    variables[arg.name] = sampleValue(arg.type, crossOrg ? ids : null, idFor, arg.name);
    params.push(`$${arg.name}: ${arg.type.toString()}`);
    args.push(`${arg.name}: $${arg.name}`);
  }
  const query = `${root.kind} Matrix${params.length ? `(${params.join(', ')})` : ''} { ${root.field.name}${args.length ? `(${args.join(', ')})` : ''} ${selection(root.field.type)} }`;
  return { query, variables };
}

interface Outcome {
  code: string | null;
  data: unknown;
}

describe('authorization matrix (generated from the schema)', () => {
  let t: TestApp;
  const callers = {} as Record<Role, Caller>;
  let platformAdmin: Caller;
  let otherOrgAdmin: Caller;
  /** Ids of objects in the first organization, by GraphQL type name. */
  const ids: Record<string, string> = {};

  async function call(root: RootField, caller: Caller | undefined, idFor: string | null = null): Promise<Outcome> {
    const { query, variables } = operation(root, ids, idFor);
    if (root.kind === 'subscription') return callSubscription(query, variables, caller);
    const response = await t.gql(query, variables, caller);
    return { code: response.errors?.[0]?.extensions?.code ?? null, data: response.data?.[root.field.name] ?? null };
  }

  async function callSubscription(query: string, variables: Record<string, unknown>, caller: Caller | undefined): Promise<Outcome> {
    const response = await t.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(caller?.authorization ? { authorization: caller.authorization } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const reader = response.body!.getReader();
    let text = '';
    // An authorised subscription waits for events: read until the first event or a short quiet period.
    const deadline = Date.now() + 300;
    while (Date.now() < deadline && !text.includes('\n\n')) {
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 100))]);
      if (chunk === null) continue;
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    await reader.cancel();
    const event = text.split('\n').find((line) => line.startsWith('data:') && line.length > 6);
    if (!event) return { code: null, data: null };
    const payload = JSON.parse(event.slice(5)) as GraphQLResponse<unknown>;
    return { code: payload.errors?.[0]?.extensions?.code ?? null, data: null };
  }

  beforeAll(async () => {
    t = await createTestApp();
    const first = await setupFirstOrg(t);
    platformAdmin = first.admin;
    for (const role of ROLES) {
      callers[role] = role === 'ADMIN'
        ? await createUserWithKey(t, first.admin, role, 'second-admin@acme.test')
        : await createUserWithKey(t, first.admin, role, `${role.toLowerCase()}@acme.test`);
    }
    const other = await createOrg(t, first.admin, 'Globex', 'admin@globex.test');
    otherOrgAdmin = other.admin;

    // One object of each kind in the first organization, for the cross-org calls.
    ids['Organization'] = first.orgId;
    ids['User'] = (callers.ANALYST as { id: string }).id;
    ids['ApiKey'] = (callers.ANALYST as { apiKeyId: string }).apiKeyId;
    const group = ok(await t.gql<{ upsertUserGroup: { data: { id: string } } }>(
      `mutation { upsertUserGroup(input: { name: "dbas" }) { ... on MutationUpsertUserGroupSuccess { data { id } } } }`, undefined, first.admin));
    ids['UserGroup'] = group.upsertUserGroup.data.id;
    const events = ok(await t.gql<{ auditEvents: { edges: { node: { id: string } }[] } }>('{ auditEvents(first: 1) { edges { node { id } } } }', undefined, first.admin));
    ids['AuditEvent'] = events.auditEvents.edges[0]!.node.id;
    const created = async (field: string, query: string, variables: Record<string, unknown>, caller: Caller = first.admin) => {
      const data = ok(await t.gql<Record<string, { __typename: string; data?: { id: string }; message?: string }>>(query, variables, caller))[field]!;
      if (!data.data) throw new Error(`${field}: ${data.__typename} ${data.message}`);
      return data.data.id;
    };
    ids['AiConfig'] = await created('upsertAiConfig', `mutation { upsertAiConfig(input: { name: "local", aiProvider: OLLAMA, model: "llama", endpoint: "http://127.0.0.1:9" }) { __typename ... on MutationUpsertAiConfigSuccess { data { id } } ... on Error { message } } }`, {});
    ids['NotificationChannel'] = await created('upsertNotificationChannel', `mutation { upsertNotificationChannel(input: { name: "hook", channelType: WEBHOOK, config: { url: "http://127.0.0.1:9/hook" }, secrets: { secret: "0123456789abcdef" } }) { __typename ... on MutationUpsertNotificationChannelSuccess { data { id } } ... on Error { message } } }`, {});
    ids['ReviewPlan'] = await created('upsertReviewPlan', `mutation { upsertReviewPlan(input: { name: "plan" }) { __typename ... on MutationUpsertReviewPlanSuccess { data { id } } ... on Error { message } } }`, {});
    ids['Datasource'] = await created('upsertDatasource',
      `mutation($plan: ID!) { upsertDatasource(input: { name: "db", dbType: POSTGRESQL, host: "127.0.0.1", port: 1, databaseName: "x", username: "x", reviewPlanId: $plan, verifyConnection: false }) {
        __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { message } } }`, { plan: ids['ReviewPlan'] });
    ids['Grant'] = await created('upsertGrant',
      `mutation($ds: ID!, $user: ID!) { upsertGrant(input: { datasourceId: $ds, userId: $user, canWrite: true }) { __typename ... on MutationUpsertGrantSuccess { data { id } } ... on Error { message } } }`,
      { ds: ids['Datasource'], user: ids['User'] });
    ids['MaskingPolicy'] = await created('upsertMaskingPolicy',
      `mutation($ds: ID!) { upsertMaskingPolicy(input: { datasourceId: $ds, columnRef: "users.email", strategy: EMAIL }) { __typename ... on MutationUpsertMaskingPolicySuccess { data { id } } ... on Error { message } } }`,
      { ds: ids['Datasource'] });
    ids['RowSecurityPolicy'] = await created('upsertRowSecurityPolicy',
      `mutation($ds: ID!) { upsertRowSecurityPolicy(input: { datasourceId: $ds, tableName: "users", columnName: "region", operator: EQUALS, valueType: LITERAL, valueExpression: "eu", appliesToRoles: [ADMIN] }) {
        __typename ... on MutationUpsertRowSecurityPolicySuccess { data { id } } ... on Error { message } } }`,
      { ds: ids['Datasource'] });
    ids['ClassificationTag'] = await created('upsertClassificationTag',
      `mutation($ds: ID!) { upsertClassificationTag(input: { datasourceId: $ds, tableName: "users", classification: PII }) {
        __typename ... on MutationUpsertClassificationTagSuccess { data { id } } ... on Error { message } } }`,
      { ds: ids['Datasource'] });
    ids['RoutingPolicy'] = await created('upsertRoutingPolicy',
      `mutation($ds: ID!) { upsertRoutingPolicy(input: { name: "reads", datasourceId: $ds, priority: 1, condition: { type: "query_type", any_of: ["SELECT"] }, action: AUTO_APPROVE }) {
        __typename ... on MutationUpsertRoutingPolicySuccess { data { id } } ... on Error { message } } }`,
      { ds: ids['Datasource'] });
    ids['ServiceAccount'] = await created('upsertServiceAccount',
      `mutation { upsertServiceAccount(input: { name: "deployer", role: ANALYST }) { __typename ... on MutationUpsertServiceAccountSuccess { data { id } } ... on Error { message } } }`, {});
    ids['QueryTemplate'] = await created('upsertQueryTemplate',
      `mutation($ds: ID!) { upsertQueryTemplate(input: { name: "by id", body: "select * from users where id = :id", visibility: TEAM, datasourceId: $ds }) {
        __typename ... on MutationUpsertQueryTemplateSuccess { data { id } } ... on Error { message } } }`,
      { ds: ids['Datasource'] });
    ids['RequestGroup'] = await created('submitRequestGroup',
      `mutation($ds: ID!) { submitRequestGroup(input: { name: "release", members: [{ datasourceId: $ds, query: "update users set name = 'y' where id = 2" }] }) {
        __typename ... on MutationSubmitRequestGroupSuccess { data { id } } ... on Error { message } } }`,
      { ds: ids['Datasource'] }, callers.ANALYST);
    ids['AccessRequest'] = await created('requestAccess',
      `mutation($ds: ID!) { requestAccess(input: { datasourceId: $ds, canRead: true, durationMinutes: 60, justification: "matrix" }) {
        __typename ... on MutationRequestAccessSuccess { data { id } } ... on Error { message } } }`,
      { ds: ids['Datasource'] }, callers.ANALYST);
    ids['QueryRequest'] = await created('submitQuery',
      `mutation($ds: ID!) { submitQuery(input: { datasourceId: $ds, query: "update users set name = 'x' where id = 1" }) { __typename ... on MutationSubmitQuerySuccess { data { id } } ... on Error { message } } }`,
      { ds: ids['Datasource'] }, callers.ANALYST);
  });
  afterAll(() => t.close());

  it('covers every root field with an @auth or @public directive', () => {
    expect(fields.length).toBeGreaterThan(20);
    expect(fields.filter((f) => f.requires === 'MISSING' || f.requires === 'INVALID').map((f) => f.field.name)).toEqual([]);
  });

  it('refuses every protected field without credentials (UNAUTHENTICATED), changing nothing', async () => {
    const before = await rowCounts(t.databaseUrl!);
    const protectedFields = fields.filter((f) => f.requires !== null);
    const outcomes = await Promise.all(protectedFields.map(async (f) => [f.field.name, (await call(f, undefined)).code] as const));
    expect(outcomes.filter(([, code]) => code !== 'UNAUTHENTICATED')).toEqual([]);
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);
  });

  it('refuses each role the fields above its permissions (FORBIDDEN), changing nothing', async () => {
    const before = await rowCounts(t.databaseUrl!);
    const wrong: string[] = [];
    for (const role of ROLES) {
      for (const f of fields) {
        if (f.requires === null || allowed(f.requires, role, false)) continue;
        const { code } = await call(f, callers[role]);
        if (code !== 'FORBIDDEN') wrong.push(`${role} ${f.kind} ${f.field.name}: ${code}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);
  });

  it('admits each role to the fields its permissions allow', async () => {
    const wrong: string[] = [];
    for (const role of ROLES) {
      for (const f of fields) {
        if (!allowed(f.requires, role, false)) continue;
        const { code } = await call(f, callers[role]);
        if (code === 'FORBIDDEN' || code === 'UNAUTHENTICATED' || code === 'INTERNAL_SERVER_ERROR') {
          wrong.push(`${role} ${f.kind} ${f.field.name}: ${code}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('admits a platform admin to the platform fields', async () => {
    for (const f of fields.filter((field) => field.requires === 'PLATFORM_ADMIN')) {
      expect((await call(f, platformAdmin)).code, f.field.name).not.toBe('FORBIDDEN');
    }
  });

  it("answers an admin of another organization 'not found' for every object of this one, changing nothing", async () => {
    const before = await rowCounts(t.databaseUrl!);
    const idFields = fields.filter((f) => f.kind !== 'subscription' && f.requires !== 'PLATFORM_ADMIN' && f.requires !== null && takesId(f.field));
    expect(idFields.length).toBeGreaterThan(5);
    const wrong: string[] = [];
    for (const f of idFields) {
      const target = targetTypeOf(f.field);
      const hasId = f.field.args.some((a) => a.name === 'id' || (isInputObjectType(getNamedType(a.type)) && 'id' in (getNamedType(a.type) as { getFields(): object }).getFields()));
      if (hasId && (!target || !ids[target])) {
        wrong.push(`${f.field.name}: no fixture for its target type ${target}; add one to this test`);
        continue;
      }
      const outcome = await call(f, otherOrgAdmin, target ?? '');
      const data = outcome.data as { __typename?: string; edges?: unknown[] } | null;
      const notFound =
        f.kind === 'query'
          ? outcome.code === null && (data === null || data.edges?.length === 0 || data.__typename === 'NotFound')
          : data?.__typename === 'NotFound';
      if (!notFound) wrong.push(`${f.kind} ${f.field.name}: ${JSON.stringify(outcome)}`);
    }
    expect(wrong).toEqual([]);
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);
  });
});

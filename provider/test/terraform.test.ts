/**
 * Real `terraform` against a real AccessFlow server (PostgreSQL store; the governed datasource is the test
 * PostgreSQL itself): init from a local plugin dir without network, validate, plan, apply, empty re-plan, update,
 * clear fields, import (command and `import` blocks with -generate-config-out), drift, typed errors, destroy and
 * re-create — for every resource, all of them together in the governance workspace of examples/complete.
 */
import { randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ok } from '../../api/test/harness.ts';
import { RESOURCES } from '../src/generated/resources.ts';
import { startServer, terraformAvailable, tofuBinary, workspace, type Server, type Workspace } from './fixtures.ts';

const examples = fileURLToPath(new URL('../examples/', import.meta.url));
const runTerraform = await terraformAvailable();
const tofu = await tofuBinary();

/** The expression of `attribute` inside `resource "<type>" "<name>" { … }` of an HCL file (braces balanced). */
function expressionIn(hcl: string, type: string, name: string, attribute: string): string {
  const start = hcl.indexOf(`resource "${type}" "${name}" {`);
  const at = start < 0 ? -1 : hcl.slice(start).search(new RegExp(`\\n\\s+${attribute}\\s+=\\s`));
  if (at < 0) throw new Error(`${type}.${name} sets no ${attribute}`);
  let i = hcl.indexOf('=', start + at) + 1;
  let depth = 0;
  let expression = '';
  for (; i < hcl.length; i++) {
    const char = hcl.charAt(i);
    if (char === '{' || char === '[') depth++;
    if (char === '}' || char === ']') depth--;
    if (char === '\n' && depth === 0 && expression.trim() !== '') break;
    expression += char;
  }
  return expression.trim();
}

/**
 * Terraform writes every sensitive value as `null # sensitive` in generated configuration; a required one (a
 * notification channel's `config`) must then be filled in by hand, as its docs say: here from the example.
 */
function fillRequiredSensitive(generated: string, example: string): string {
  let resource: { type: string; name: string } | null = null;
  return generated
    .split('\n')
    .map((line) => {
      const header = /^resource "(\w+)" "(\w+)" \{/.exec(line);
      if (header) resource = { type: header[1] ?? '', name: header[2] ?? '' };
      const hidden = /^(\s+)(\w+)(\s+)= null # sensitive$/.exec(line);
      const current: { type: string; name: string } | null = resource;
      if (!hidden || !current) return line;
      const spec = RESOURCES.find((r) => r.typeName === current.type)?.attributes.find((a) => a.name === hidden[2]);
      return spec?.required ? `${hidden[1]}${hidden[2]}${hidden[3]}= ${expressionIn(example, current.type, current.name, hidden[2] ?? '')}` : line;
    })
    .join('\n');
}

function edit(text: string, replacements: [string, string][]): string {
  return replacements.reduce((result, [from, to]) => {
    if (!result.includes(from)) throw new Error(`example no longer contains ${JSON.stringify(from)}`);
    return result.replace(from, to);
  }, text);
}

describe.skipIf(!runTerraform)('terraform end to end', () => endToEnd('terraform'));
// The same steps with OpenTofu (≥ 1.11: write-only attributes, ephemeral resources) wherever it is installed.
describe.skipIf(tofu === null)(tofu ? `OpenTofu end to end (${tofu})` : 'OpenTofu end to end: not run, no tofu on PATH and TOFU_BINARY unset', () => endToEnd(tofu ?? 'tofu'));

function endToEnd(binary: string) {
  let server: Server;
  let ws: Workspace;
  let env: Record<string, string>;
  let main: string;
  const ids: Record<string, string> = {};

  const gql = async <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}) =>
    ok(await server.t.gql<T>(query, variables, { authorization: server.org.admin.authorization }));
  const plan = (expect: 0 | 2) => ws.ok(['plan', '-detailed-exitcode', '-no-color'], expect);
  const apply = () => ws.ok(['apply', '-auto-approve', '-no-color']);

  beforeAll(async () => {
    server = await startServer();
    const target = new URL(inject('postgresUrl'));
    env = {
      TF_VAR_db_host: target.hostname,
      TF_VAR_db_port: target.port,
      TF_VAR_db_name: target.pathname.slice(1),
      TF_VAR_db_username: decodeURIComponent(target.username),
      // The test cluster trusts loopback, so any password connects: a recognisable one shows where it ends up.
      TF_VAR_db_password: `pw-${randomUUID()}`,
    };
    ws = await workspace(server, 'complete', env, binary);
    const dir = join(examples, 'complete');
    for (const file of await readdir(dir)) await ws.write({ [file]: await readFile(join(dir, file), 'utf8') });
    main = await readFile(join(dir, 'main.tf'), 'utf8');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('adopts an existing object by name, applies the complete example, and a second plan is empty', async () => {
    const existing = await gql<{ upsertUserGroup: { data: { id: string } } }>(
      `mutation { upsertUserGroup(input: { name: "analysts", description: "made by hand" }) { ... on MutationUpsertUserGroupSuccess { data { id } } } }`,
    );
    await ws.ok(['fmt', '-check', '-recursive', '-no-color', examples]);
    await ws.ok(['validate', '-no-color']);
    await ws.ok(['plan', '-detailed-exitcode', '-no-color', '-out=tfplan'], 2);
    await ws.ok(['apply', '-auto-approve', '-no-color', 'tfplan']);
    const state = await ws.state();
    for (const resource of RESOURCES) {
      const found = state.resources.find((r) => r.type === resource.typeName);
      expect(found, `${resource.typeName} is in the example`).toBeDefined();
      ids[resource.typeName] = String(found?.instances[0]?.attributes['id']);
    }
    expect(ids['accessflow_user_group']).toBe(existing.upsertUserGroup.data.id);
    const datasource = state.resources.find((r) => r.type === 'accessflow_datasource')?.instances[0]?.attributes ?? {};
    expect(datasource['password_version']).toBe(1);
    // Write-only: the password reached the server (the connection test passed) but not the state file.
    const rawState = await readFile(join(ws.dir, 'terraform.tfstate'), 'utf8');
    expect(rawState).toContain('"password": null');
    expect(rawState).not.toContain(env['TF_VAR_db_password']);
    const stored = await gql<{ datasource: { hasPassword: boolean } }>(`query($id: ID!) { datasource(id: $id) { hasPassword } }`, { id: ids['accessflow_datasource'] });
    expect(stored.datasource.hasPassword).toBe(true);
    const rls = await gql<{ rowSecurityPolicy: { valueExpression: string } }>(`query($id: ID!) { rowSecurityPolicy(id: $id) { valueExpression } }`, { id: ids['accessflow_row_security_policy'] });
    // The server keeps its canonical form; the configuration's `:user.region` must not show up as drift.
    expect(rls.rowSecurityPolicy.valueExpression).toBe('user.region');
    await plan(0);
    // Data sources look objects up by name (datasource, review plan) and by id (user group).
    const outputs = JSON.parse((await ws.ok(['output', '-json'])).stdout) as Record<string, { value: unknown }>;
    expect(outputs['shop_datasource_id']?.value).toBe(ids['accessflow_datasource']);
    expect(outputs['review_stages']?.value).toBe(2);
    expect(outputs['analysts_group']?.value).toBe('analysts');
    // The plan-time routing simulation saw the policy this configuration created.
    expect(outputs['delete_order_decision']?.value).toEqual({ policy: 'deletes-on-orders-need-two', action: 'REQUIRE_APPROVALS', approvals: 2 });
  });

  it('updates in place, replaces on a natural-key change, and re-plans empty', async () => {
    main = edit(main, [
      ['description = "Analysts of the shop team"', 'description = "Analysts and data scientists"'],
      ['min_approvals_required = 1', 'min_approvals_required = 2'],
      ['    { stage = 2, role = "ADMIN" },\n', '    { stage = 2, role = "ADMIN" },\n    { stage = 2, group_id = accessflow_user_group.analysts.id },\n'],
      ['max_rows_per_query    = 500', 'max_rows_per_query    = 800'],
      ['strategy_params = { visible_suffix = "4" }', 'strategy_params = { visible_suffix = "2" }'],
      ['classification = "PII"', 'classification = "PCI"'],
    ]);
    await ws.write({ 'main.tf': main });
    const planned = await plan(2);
    expect(planned.stdout).toMatch(/accessflow_classification_tag\.customers_ssn must be replaced/);
    expect(planned.stdout).toMatch(/accessflow_review_plan\.two_step will be updated in-place/);
    await apply();
    await plan(0);
    const read = await gql<{ reviewPlan: { minApprovalsRequired: number; approvers: unknown[] }; datasource: { maxRowsPerQuery: number } }>(
      `query($plan: ID!, $ds: ID!) { reviewPlan(id: $plan) { minApprovalsRequired approvers { stage } } datasource(id: $ds) { maxRowsPerQuery } }`,
      { plan: ids['accessflow_review_plan'], ds: ids['accessflow_datasource'] },
    );
    expect(read.reviewPlan).toMatchObject({ minApprovalsRequired: 2 });
    expect(read.reviewPlan.approvers).toHaveLength(3);
    expect(read.datasource.maxRowsPerQuery).toBe(800);
  });

  it('clears optional fields removed from the configuration', async () => {
    main = edit(main, [
      ['  description = "Analysts and data scientists"\n', ''],
      ['  max_rows_per_query    = 800\n', ''],
      ['  allowed_schemas    = ["public"]\n', ''],
      ['  restricted_columns = ["public.customers.ssn"]\n', ''],
      ['  strategy_params = { visible_suffix = "2" }\n', ''],
      ['  reveal_to_roles = ["ADMIN"]\n', ''],
    ]);
    await ws.write({ 'main.tf': main });
    await plan(2);
    await apply();
    await plan(0);
    const read = await gql<{
      userGroup: { description: string | null };
      datasource: { maxRowsPerQuery: number };
      grant: { allowedSchemas: string[] | null; restrictedColumns: string[] };
      maskingPolicy: { strategyParams: object; revealToRoles: string[] };
    }>(
      `query($g: ID!, $ds: ID!, $grant: ID!, $m: ID!) { userGroup(id: $g) { description } datasource(id: $ds) { maxRowsPerQuery }
        grant(id: $grant) { allowedSchemas restrictedColumns } maskingPolicy(id: $m) { strategyParams revealToRoles } }`,
      { g: ids['accessflow_user_group'], ds: ids['accessflow_datasource'], grant: ids['accessflow_grant'], m: ids['accessflow_masking_policy'] },
    );
    expect(read).toEqual({
      userGroup: { description: null },
      datasource: { maxRowsPerQuery: 1000 },
      grant: { allowedSchemas: null, restrictedColumns: [] },
      maskingPolicy: { strategyParams: {}, revealToRoles: [] },
    });
  });

  it('imports with `terraform import` (a bare id, a datasource-scoped id) and re-plans empty', async () => {
    const state = await ws.state();
    // The `import` blocks test below imports every resource type; here the two id forms of the import command.
    const cli = ['accessflow_datasource', 'accessflow_masking_policy', 'accessflow_row_security_policy', 'accessflow_routing_policy'];
    for (const resource of RESOURCES.filter((r) => cli.includes(r.typeName))) {
      const instance = state.resources.find((r) => r.type === resource.typeName);
      const address = `${resource.typeName}.${instance?.name}`;
      const attributes = instance?.instances[0]?.attributes ?? {};
      const id = resource.importScope ? `${String(attributes[resource.importScope])}/${String(attributes['id'])}` : String(attributes['id']);
      await ws.ok(['state', 'rm', '-no-color', address]);
      await ws.ok(['import', '-no-color', address, id]);
    }
    // After an import the provider has not seen the server's answer to this configuration yet, so two things
    // show once, in place: the write-only trigger (not stored by the server) and values the configuration writes
    // in a form the server canonicalises (`:user.region` → `user.region`, `delete` → `DELETE`). Nothing is
    // replaced, and after one apply the plan is empty.
    const planned = await plan(2);
    expect(planned.stdout).toMatch(/\+ password_wo_version\s+= 1/);
    expect(planned.stdout).toMatch(/Plan: 0 to add, \d to change, 0 to destroy/);
    expect(planned.stdout).not.toMatch(/accessflow_(user_group|review_plan|grant|masking_policy|classification_tag)\.\w+ will be updated/);
    await apply();
    await plan(0);
  });

  it('writes configuration for `import` blocks with -generate-config-out, applies it and re-plans empty', async () => {
    const imported = await workspace(server, 'generated', env, binary);
    const state = await ws.state();
    const blocks = state.resources
      .filter((r) => r.type.startsWith('accessflow_') && RESOURCES.some((s) => s.typeName === r.type))
      .map((r) => `import {\n  to = ${r.type}.${r.name}\n  id = "${String(r.instances[0]?.attributes['id'])}"\n}\n`);
    await imported.write({ 'imports.tf': blocks.join('\n') });
    await imported.ok(['plan', '-no-color', '-generate-config-out=generated.tf'], 0);
    const generated = await readFile(join(imported.dir, 'generated.tf'), 'utf8');
    expect(generated).toContain('resource "accessflow_routing_policy" "deletes_on_orders"');
    expect(generated).toMatch(/password\s+= null # sensitive/);
    await imported.write({ 'generated.tf': fillRequiredSensitive(generated, main) });
    const applied = await imported.ok(['apply', '-auto-approve', '-no-color']);
    expect(applied.stdout).toMatch(new RegExp(`Apply complete! Resources: ${blocks.length} imported, 0 added, 0 changed, 0 destroyed`));
    await imported.ok(['plan', '-detailed-exitcode', '-no-color'], 0);
    // Hand the objects back to the main workspace only.
    for (const block of blocks) await imported.ok(['state', 'rm', '-no-color', block.split('\n')[1]?.replace('  to = ', '') ?? '']);
  });

  it('shows server-side drift, including a password changed elsewhere, and repairs it', async () => {
    await gql(`mutation { upsertUserGroup(input: { name: "analysts", description: "changed by hand", memberIds: [] }) { __typename } }`);
    await gql(`mutation($id: ID!) { deleteMaskingPolicy(id: $id) { __typename } }`, { id: ids['accessflow_masking_policy'] });
    // A new version of the template's body, written elsewhere: the body is read from the current version.
    await gql(`mutation($input: UpsertQueryTemplateInput!) { upsertQueryTemplate(input: $input) { __typename } }`, {
      input: { name: 'orders-by-region', description: 'Orders of one region', datasourceId: ids['accessflow_datasource'], visibility: 'TEAM', body: 'SELECT id FROM public.orders WHERE region = :region' },
    });
    const ds = await gql<{ datasource: Record<string, unknown> }>(`query($id: ID!) { datasource(id: $id) { name dbType host port databaseName username } }`, { id: ids['accessflow_datasource'] });
    await gql(`mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename } }`, {
      input: { ...ds.datasource, password: 'changed-by-hand', reviewPlanId: ids['accessflow_review_plan'], verifyConnection: false },
    });
    const planned = await plan(2);
    expect(planned.stdout).toMatch(/accessflow_user_group\.analysts will be updated in-place/);
    expect(planned.stdout).toMatch(/- description = "changed by hand" -> null/);
    expect(planned.stdout).toMatch(/accessflow_masking_policy\.email will be created/);
    expect(planned.stdout).toMatch(/accessflow_datasource\.shop will be updated in-place/);
    expect(planned.stdout).toMatch(/The secret was changed outside Terraform/);
    expect(planned.stdout).toMatch(/accessflow_query_template\.orders_by_region will be updated in-place/);
    expect(planned.stdout).toMatch(/~ body\s+= "SELECT id FROM public\.orders WHERE region = :region" -> "SELECT id, total FROM public\.orders WHERE region = :region"/);
    await apply();
    await plan(0);
    const template = await gql<{ queryTemplate: { currentVersion: number; versions: { version: number; body: string }[] } }>(
      `query($id: ID!) { queryTemplate(id: $id) { currentVersion versions { version body } } }`,
      { id: ids['accessflow_query_template'] },
    );
    expect(template.queryTemplate.versions.find((v) => v.version === template.queryTemplate.currentVersion)?.body).toBe('SELECT id, total FROM public.orders WHERE region = :region');
    const fixed = await gql<{ datasource: { passwordVersion: number } }>(`query($id: ID!) { datasource(id: $id) { passwordVersion } }`, { id: ids['accessflow_datasource'] });
    expect(fixed.datasource.passwordVersion).toBeGreaterThanOrEqual(4);
    ids['accessflow_masking_policy'] = String((await ws.state()).resources.find((r) => r.type === 'accessflow_masking_policy')?.instances[0]?.attributes['id']);
  });

  it('turns typed GraphQL errors into diagnostics that name the attribute, and changes nothing', async () => {
    const bad = edit(main, [['  max_rows           = 200\n', '  max_rows           = 0\n']]);
    await ws.write({ 'main.tf': bad });
    const result = await ws.ok(['apply', '-auto-approve', '-no-color'], 1);
    const output = result.stdout + result.stderr;
    expect(output).toMatch(/Error: ValidationError: must be 1 to 100000/);
    expect(output).toMatch(/with accessflow_grant\.analysts_read,[\s\S]*max_rows\s+= 0/);
    const grant = await gql<{ grant: { maxRows: number } }>(`query($id: ID!) { grant(id: $id) { maxRows } }`, { id: ids['accessflow_grant'] });
    expect(grant.grant.maxRows).toBe(200);
    await ws.write({ 'main.tf': main });
    await plan(0);
  });

  it('destroys everything, then re-creates the same names', async () => {
    await ws.ok(['destroy', '-auto-approve', '-no-color']);
    const empty = await gql<{ datasources: { edges: unknown[] }; userGroups: { edges: unknown[] }; reviewPlans: { edges: { node: { name: string } }[] } }>(
      `{ datasources { edges { node { id } } } userGroups { edges { node { id } } } reviewPlans { edges { node { name } } } }`,
    );
    expect(empty.datasources.edges).toEqual([]);
    expect(empty.userGroups.edges).toEqual([]);
    expect(empty.reviewPlans.edges.map((e) => e.node.name)).not.toContain('two-step');
    await apply();
    await plan(0);
    await ws.ok(['destroy', '-auto-approve', '-no-color']);
  });
}

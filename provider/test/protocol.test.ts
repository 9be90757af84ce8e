/**
 * The protocol harness: drives the bundled provider over gRPC exactly as Terraform does (go-plugin handshake,
 * AutoMTLS, then every RPC in Terraform's order) against a real AccessFlow server. Needs no terraform binary.
 */
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../../api/test/harness.ts';
import { RESOURCES } from '../src/generated/resources.ts';
import { SIMULATION_TYPE } from '../src/simulation.ts';
import { createServerCertificate } from '../src/protocol/certificate.ts';
import { decodeValue, encodeValue, UNKNOWN, type DynamicValue, type TfObject } from '../src/protocol/dynamic-value.ts';
import { bundledProvider, spawnProvider, startServer, type Server, type SpawnedProvider } from './fixtures.ts';

const GROUP = 'accessflow_user_group';
const groupSpec = RESOURCES.find((r) => r.typeName === GROUP);
const groupObject = (values: TfObject): TfObject => ({
  ...Object.fromEntries((groupSpec?.attributes ?? []).map((a) => [a.name, null])),
  ...values,
});
const decoded = (value: unknown) => decodeValue(value as DynamicValue) as TfObject | null;

describe('tfplugin6 over gRPC, as Terraform drives it', () => {
  let server: Server;
  let spawned: SpawnedProvider;
  let provider: SpawnedProvider['provider'];

  beforeAll(async () => {
    server = await startServer();
    spawned = await spawnProvider();
    provider = spawned.provider;
  });
  afterAll(async () => {
    spawned?.close();
    await server?.close();
  });

  it('prints one go-plugin handshake line with an unpadded DER certificate for localhost', () => {
    const fields = spawned.handshake.split('|');
    expect(fields.slice(0, 3)).toEqual(['1', '6', 'unix']);
    expect(fields[4]).toBe('grpc');
    expect(fields[5]).toMatch(/^[A-Za-z0-9+/]{100,}$/);
    const certificate = new X509Certificate(spawned.serverCertDer);
    expect(certificate.subjectAltName).toBe('DNS:localhost');
  });

  it('refuses a client without the certificate Terraform handed over (mTLS required and verified)', async () => {
    const address = `unix://${spawned.handshake.split('|')[3]}`;
    const serverPem = Buffer.from(new X509Certificate(spawned.serverCertDer).toString());
    const stranger = createServerCertificate();
    const options = { 'grpc.ssl_target_name_override': 'localhost' };
    for (const credentials of [
      grpc.credentials.createSsl(serverPem),
      grpc.credentials.createSsl(serverPem, Buffer.from(stranger.keyPem), Buffer.from(stranger.certPem)),
    ]) {
      const client = new grpc.Client(address, credentials, options);
      const failure = await new Promise<Error | null>((resolve) =>
        client.makeUnaryRequest('/tfplugin6.Provider/GetMetadata', () => Buffer.alloc(0), (b: Buffer) => b, {}, (error) => resolve(error)),
      );
      client.close();
      expect(failure?.message).toMatch(/UNAVAILABLE|certificate|handshake|alert/i);
    }
  });

  it('ends the stdio stream at once', async () => {
    const stream = spawned.stdio.StreamStdio({});
    await new Promise<void>((resolve, reject) => {
      stream.on('data', () => reject(new Error('unexpected stdio data')));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
  });

  it('serves metadata and a schema for every resource and data source', async () => {
    const metadata = await provider['GetMetadata']?.({});
    expect((metadata?.['resources'] as { type_name: string }[]).map((r) => r.type_name).sort()).toEqual(RESOURCES.map((r) => r.typeName).sort());
    const schema = await provider['GetProviderSchema']?.({});
    const resources = schema?.['resource_schemas'] as Record<string, { block: { attributes: { name: string; type?: Buffer; write_only?: boolean; sensitive?: boolean; computed?: boolean }[] } }>;
    expect(Object.keys(resources).sort()).toEqual(RESOURCES.map((r) => r.typeName).sort());
    const password = resources['accessflow_datasource']?.block.attributes.find((a) => a.name === 'password');
    expect(password).toMatchObject({ write_only: true, sensitive: true });
    const approvers = resources['accessflow_review_plan']?.block.attributes.find((a) => a.name === 'approvers') as { nested_type?: { nesting: string } };
    expect(approvers.nested_type?.nesting).toBe('LIST');
    const provided = schema?.['provider'] as { block: { attributes: { name: string; sensitive?: boolean }[] } };
    expect(provided.block.attributes.find((a) => a.name === 'api_key')?.sensitive).toBe(true);
    expect(Object.keys(schema?.['data_source_schemas'] as object).sort()).toEqual([...RESOURCES.map((r) => r.typeName), SIMULATION_TYPE].sort());
    const functions = await provider['GetFunctions']?.({});
    expect(functions?.['functions'] ?? {}).toEqual({});
  });

  it('reports a missing endpoint as a diagnostic on the attribute, then configures', async () => {
    const missing = await provider['ConfigureProvider']?.({ config: encodeValue({ endpoint: null, api_key: 'af_x' }), client_capabilities: { write_only_attributes_allowed: true } });
    expect(missing?.['diagnostics']).toEqual([expect.objectContaining({ severity: 'ERROR', attribute: { steps: [{ attribute_name: 'endpoint', selector: 'attribute_name' }] } })]);
    expect((await provider['ValidateProviderConfig']?.({ config: encodeValue({ endpoint: server.endpoint, api_key: UNKNOWN }) }))?.['diagnostics'] ?? []).toEqual([]);
    const configured = await provider['ConfigureProvider']?.({
      terraform_version: '1.11.4',
      config: encodeValue({ endpoint: server.endpoint, api_key: server.apiKey }),
      client_capabilities: { write_only_attributes_allowed: true },
    });
    expect(configured?.['diagnostics'] ?? []).toEqual([]);
  });

  it('validates JSON attributes before any call', async () => {
    const routing = RESOURCES.find((r) => r.typeName === 'accessflow_routing_policy');
    const config = Object.fromEntries((routing?.attributes ?? []).map((a) => [a.name, a.name === 'condition' ? '{not json' : null]));
    const result = await provider['ValidateResourceConfig']?.({ type_name: 'accessflow_routing_policy', config: encodeValue(config) });
    expect(result?.['diagnostics']).toEqual([expect.objectContaining({ severity: 'ERROR', attribute: { steps: [{ attribute_name: 'condition', selector: 'attribute_name' }] } })]);
  });

  it('plans, applies, upgrades, reads, imports, re-plans as a no-op and deletes a resource', async () => {
    const config = groupObject({ name: 'protocol-team', description: 'made over gRPC' });
    expect((await provider['ValidateResourceConfig']?.({ type_name: GROUP, config: encodeValue(config) }))?.['diagnostics'] ?? []).toEqual([]);
    const plan = await provider['PlanResourceChange']?.({ type_name: GROUP, prior_state: encodeValue(null), proposed_new_state: encodeValue(config), config: encodeValue(config) });
    const planned = decoded(plan?.['planned_state']);
    expect(Object.keys(planned ?? {}).sort()).toEqual((groupSpec?.attributes ?? []).map((a) => a.name).sort());
    expect(planned).toMatchObject({ id: UNKNOWN, created_at: UNKNOWN, name: 'protocol-team', description: 'made over gRPC', member_ids: null });

    const applied = await provider['ApplyResourceChange']?.({ type_name: GROUP, prior_state: encodeValue(null), planned_state: plan?.['planned_state'], config: encodeValue(config), planned_private: plan?.['planned_private'] });
    expect(applied?.['diagnostics'] ?? []).toEqual([]);
    const state = decoded(applied?.['new_state']);
    expect(state?.['id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(state).toMatchObject({ name: 'protocol-team', description: 'made over gRPC', member_ids: null });
    const id = String(state?.['id']);
    const onServer = ok(await server.t.gql<{ userGroup: { name: string } | null }>(`query($id: ID!) { userGroup(id: $id) { name } }`, { id }, { authorization: server.org.admin.authorization }));
    expect(onServer.userGroup?.name).toBe('protocol-team');

    const upgraded = await provider['UpgradeResourceState']?.({ type_name: GROUP, version: 0, raw_state: { json: Buffer.from(JSON.stringify({ id, name: 'protocol-team' })) } });
    expect(decoded(upgraded?.['upgraded_state'])).toEqual(groupObject({ id, name: 'protocol-team' }));

    const read = await provider['ReadResource']?.({ type_name: GROUP, current_state: applied?.['new_state'], private: applied?.['private'] });
    expect(decoded(read?.['new_state'])).toEqual(state);

    const imported = await provider['ImportResourceState']?.({ type_name: GROUP, id });
    const importedState = (imported?.['imported_resources'] as { state: DynamicValue; type_name: string }[])[0];
    expect(importedState?.type_name).toBe(GROUP);
    expect(decoded(importedState?.state)).toEqual(state);
    const missing = await provider['ImportResourceState']?.({ type_name: GROUP, id: '00000000-0000-4000-8000-000000000000' });
    expect(missing?.['diagnostics']).toEqual([expect.objectContaining({ severity: 'ERROR', summary: 'Cannot import non-existent remote object' })]);

    const noop = await provider['PlanResourceChange']?.({ type_name: GROUP, prior_state: read?.['new_state'], proposed_new_state: read?.['new_state'], config: encodeValue(config), prior_private: read?.['private'] });
    expect(decoded(noop?.['planned_state'])).toEqual(state);
    expect(noop?.['requires_replace'] ?? []).toEqual([]);

    const renamed = { ...state, name: 'protocol-team-2' };
    const replace = await provider['PlanResourceChange']?.({ type_name: GROUP, prior_state: read?.['new_state'], proposed_new_state: encodeValue(renamed), config: encodeValue({ ...config, name: 'protocol-team-2' }), prior_private: read?.['private'] });
    expect(replace?.['requires_replace']).toEqual([{ steps: [{ attribute_name: 'name', selector: 'attribute_name' }] }]);

    const found = await provider['ReadDataSource']?.({ type_name: GROUP, config: encodeValue({ id: null, name: 'protocol-team', description: null, member_ids: null, created_at: null }) });
    expect(decoded(found?.['state'])).toMatchObject({ id, name: 'protocol-team', description: 'made over gRPC', member_ids: [] });

    const deleted = await provider['ApplyResourceChange']?.({ type_name: GROUP, prior_state: read?.['new_state'], planned_state: encodeValue(null), config: encodeValue(null) });
    expect(decoded(deleted?.['new_state'])).toBeNull();
    const gone = await provider['ReadResource']?.({ type_name: GROUP, current_state: read?.['new_state'] });
    expect(decoded(gone?.['new_state'])).toBeNull();
  });

  it('keeps a write-only password out of the plan, or in it as sensitive for a core without write-only support', async () => {
    const spec = RESOURCES.find((r) => r.typeName === 'accessflow_datasource');
    const config: TfObject = {
      ...Object.fromEntries((spec?.attributes ?? []).map((a) => [a.name, null])),
      name: 'wo',
      db_type: 'POSTGRESQL',
      host: '127.0.0.1',
      database_name: 'x',
      username: 'x',
      password: 'hunter2-hunter2',
      password_wo_version: 1,
    };
    const plan = (writeOnly: boolean) =>
      provider['PlanResourceChange']?.({
        type_name: 'accessflow_datasource',
        prior_state: encodeValue(null),
        proposed_new_state: encodeValue(config),
        config: encodeValue(config),
        client_capabilities: { write_only_attributes_allowed: writeOnly },
      });
    const modern = await plan(true);
    expect(decoded(modern?.['planned_state'])).toMatchObject({ password: null, password_wo_version: 1, password_version: UNKNOWN });
    expect(modern?.['diagnostics'] ?? []).toEqual([]);
    const older = await plan(false);
    expect(decoded(older?.['planned_state'])).toMatchObject({ password: 'hunter2-hunter2' });
    expect(older?.['diagnostics']).toEqual([expect.objectContaining({ severity: 'WARNING', summary: 'password is stored in state' })]);
  });

  it('answers StopProvider, then exits promptly on GRPCController.Shutdown', async () => {
    expect(await provider['StopProvider']?.({})).toEqual({ Error: '' });
    const started = Date.now();
    await spawned.controller['Shutdown']?.({});
    expect(await spawned.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses to start without Terraform’s magic cookie, printing nothing on stdout', async () => {
    const launcher = await bundledProvider();
    const child = spawn(launcher, [], { env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/Terraform starts it/);
  });
});

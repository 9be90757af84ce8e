/**
 * The tfplugin6 Provider service for AccessFlow: every resource and data source comes from the generated specs
 * (src/generated/resources.ts); this file holds only the Terraform semantics common to all of them.
 */
import { ApiError, GraphQLClient, type Node } from './graphql-client.ts';
import { decodeValue, encodeValue, UNKNOWN, type DynamicValue, type TfObject, type TfValue } from './protocol/dynamic-value.ts';
import type { ProviderHandlers } from './protocol/serve.ts';
import { readSimulation, SIMULATION_ATTRIBUTES, SIMULATION_TYPE } from './simulation.ts';
import type { AttributeSpec, ResourceSpec } from './spec.ts';
import { dataSourceAttributes, dataSourceSchema, lookupKeys, PROVIDER_SCHEMA, resourceSchema, schemaOf, selectionOf } from './tf-schema.ts';
import { complete, inputValue, semanticallyEqual, serverForms, stateFromServer } from './values.ts';

type Step = { attribute_name: string } | { element_key_int: number } | { element_key_string: string };
export interface Diagnostic {
  severity: 'ERROR' | 'WARNING';
  summary: string;
  detail: string;
  attribute?: { steps: Step[] };
}

interface ClientCapabilities {
  write_only_attributes_allowed?: boolean;
}

/** Private state kept by Terraform beside each resource (opaque to users). */
interface PrivateState {
  /** Optional + computed attributes the configuration set at the last apply: removing one resets it. */
  configured?: string[];
  /** The server's secret version after our last write: a different one means the secret changed elsewhere. */
  secretVersion?: number | null;
  /** Plan → apply: send the write-only values. */
  sendSecrets?: boolean;
  /** The server's canonical form of each settable attribute right after our last write (see stateFromServer). */
  forms?: Record<string, string>;
}

const error = (summary: string, detail = '', attribute?: Step[]): Diagnostic => ({
  severity: 'ERROR',
  summary,
  detail,
  ...(attribute ? { attribute: { steps: attribute } } : {}),
});

function readPrivate(bytes: Uint8Array | undefined): PrivateState {
  if (!bytes || bytes.length === 0) return {};
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as PrivateState;
  } catch {
    return {};
  }
}
const writePrivate = (state: PrivateState) => Buffer.from(JSON.stringify(state));

const asObject = (value: TfValue): TfObject | null => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as TfObject) : null);
const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** `approvers.0.stage` (a GraphQL input path) → the Terraform attribute path approvers[0].stage. */
function attributePath(resource: ResourceSpec, path: string): Step[] | undefined {
  const parts = path.split('.').filter((part) => part !== 'input' && part !== '');
  const first = parts[0];
  const attribute = resource.attributes.find((a) => a.input === first || a.name === first);
  if (!attribute) return undefined;
  return [
    { attribute_name: attribute.name },
    ...parts.slice(1).map((part): Step => (/^\d+$/.test(part) ? { element_key_int: Number(part) } : { attribute_name: snake(part) })),
  ];
}

export function diagnosticsOf(resource: ResourceSpec | null, failure: unknown): Diagnostic[] {
  if (failure instanceof ApiError) {
    if (failure.issues.length > 0 && resource) {
      return failure.issues.map((issue) => error(`${failure.typename}: ${issue.message}`, `${failure.message} (${issue.path})`, attributePath(resource, issue.path)));
    }
    return [error(`${failure.typename}: ${failure.message}`, `code ${failure.code}`)];
  }
  return [error('AccessFlow provider error', failure instanceof Error ? failure.message : String(failure))];
}

export interface ProviderOptions {
  resources: ResourceSpec[];
  env?: NodeJS.ProcessEnv;
}

export function createProvider(options: ProviderOptions): ProviderHandlers {
  const env = options.env ?? process.env;
  const byType = new Map(options.resources.map((r) => [r.typeName, r]));
  let client: GraphQLClient | null = null;
  let writeOnlyAllowed = false;

  const resourceOf = (typeName: string): ResourceSpec => {
    const resource = byType.get(typeName);
    if (!resource) throw new Error(`unknown resource type ${typeName}`);
    return resource;
  };
  const api = (): GraphQLClient => {
    if (!client) throw new ApiError('ProviderNotConfigured', 'NOT_CONFIGURED', 'the provider was not configured');
    return client;
  };
  const secretAttributes = (resource: ResourceSpec) => resource.attributes.filter((a) => a.writeOnly);
  const versionOf = (resource: ResourceSpec, state: TfObject | null): number | null => {
    const name = secretAttributes(resource)[0]?.version;
    const value = name && state ? state[name] : null;
    return typeof value === 'number' ? value : null;
  };

  async function upsert(resource: ResourceSpec, config: TfObject, sendSecrets: boolean): Promise<Node> {
    const input: Record<string, unknown> = {};
    for (const attribute of resource.attributes) {
      if (attribute.input === null) continue;
      if (attribute.writeOnly) {
        if (sendSecrets && config[attribute.name] !== null) input[attribute.input] = config[attribute.name];
        continue;
      }
      const value = inputValue(attribute, config[attribute.name] ?? null);
      if (value !== undefined) input[attribute.input] = value;
    }
    return (await api().mutate(resource.upsert, `$input: ${resource.inputType}!`, selectionOf(resource), { input })) as Node;
  }

  function validateConfig(config: TfObject | null, attributes: AttributeSpec[]): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    for (const attribute of attributes) {
      const value = config?.[attribute.name] ?? null;
      if (attribute.type.kind === 'json' && typeof value === 'string') {
        try {
          JSON.parse(value);
        } catch (failure) {
          diagnostics.push(error(`${attribute.name} is not valid JSON`, failure instanceof Error ? failure.message : '', [{ attribute_name: attribute.name }]));
        }
      }
    }
    return diagnostics;
  }

  const handlers = {
    async GetMetadata() {
      return {
        server_capabilities: { plan_destroy: false, get_provider_schema_optional: true },
        resources: options.resources.map((r) => ({ type_name: r.typeName })),
        data_sources: [...options.resources.map((r) => ({ type_name: r.typeName })), { type_name: SIMULATION_TYPE }],
      };
    },

    async GetProviderSchema() {
      return {
        provider: PROVIDER_SCHEMA,
        resource_schemas: Object.fromEntries(options.resources.map((r) => [r.typeName, resourceSchema(r)])),
        data_source_schemas: {
          ...Object.fromEntries(options.resources.map((r) => [r.typeName, dataSourceSchema(r)])),
          [SIMULATION_TYPE]: schemaOf('What a statement would trigger, asked of `simulateRouting` at plan time; nothing is submitted.', SIMULATION_ATTRIBUTES),
        },
        functions: {},
        server_capabilities: { plan_destroy: false, get_provider_schema_optional: true },
      };
    },

    async GetFunctions() {
      return { functions: {} };
    },

    async ValidateProviderConfig() {
      return { diagnostics: [] };
    },

    async ConfigureProvider(request: { config?: DynamicValue; client_capabilities?: ClientCapabilities }) {
      const config = asObject(decodeValue(request.config)) ?? {};
      writeOnlyAllowed = request.client_capabilities?.write_only_attributes_allowed === true;
      const endpoint = typeof config['endpoint'] === 'string' ? config['endpoint'] : env['ACCESSFLOW_ENDPOINT'];
      const apiKey = typeof config['api_key'] === 'string' ? config['api_key'] : env['ACCESSFLOW_API_KEY'];
      const diagnostics: Diagnostic[] = [];
      if (!endpoint) diagnostics.push(error('Missing AccessFlow endpoint', 'Set `endpoint` in the provider block or ACCESSFLOW_ENDPOINT.', [{ attribute_name: 'endpoint' }]));
      else if (!/^https?:\/\//.test(endpoint) || !URL.canParse(endpoint)) diagnostics.push(error('endpoint must be an http(s) URL', `got ${endpoint}`, [{ attribute_name: 'endpoint' }]));
      if (!apiKey) diagnostics.push(error('Missing AccessFlow API key', 'Set `api_key` in the provider block or ACCESSFLOW_API_KEY.', [{ attribute_name: 'api_key' }]));
      if (diagnostics.length === 0 && endpoint && apiKey) client = new GraphQLClient(endpoint, apiKey);
      return { diagnostics };
    },

    async ValidateResourceConfig(request: { type_name: string; config?: DynamicValue }) {
      const resource = resourceOf(request.type_name);
      return { diagnostics: validateConfig(asObject(decodeValue(request.config)), resource.attributes) };
    },

    async ValidateDataResourceConfig(request: { type_name: string; config?: DynamicValue }) {
      if (request.type_name === SIMULATION_TYPE) return { diagnostics: [] };
      const resource = resourceOf(request.type_name);
      const config = asObject(decodeValue(request.config)) ?? {};
      const keys = lookupKeys(resource);
      const given = keys.filter((key) => config[key] !== null && config[key] !== undefined);
      if (given.length !== 1) {
        return { diagnostics: [error(`Set exactly one of ${keys.join(', ')}`, `${request.type_name} looks an object up by ${keys.join(' or ')}.`, [{ attribute_name: keys[0] ?? 'id' }])] };
      }
      return { diagnostics: [] };
    },

    async UpgradeResourceState(request: { type_name: string; raw_state?: { json?: Uint8Array } }) {
      const resource = resourceOf(request.type_name);
      const raw = request.raw_state?.json && request.raw_state.json.length > 0 ? (JSON.parse(Buffer.from(request.raw_state.json).toString('utf8')) as Record<string, unknown>) : {};
      return { upgraded_state: encodeValue(complete(resource.attributes, raw)), diagnostics: [] };
    },

    async ReadResource(request: { type_name: string; current_state?: DynamicValue; private?: Uint8Array }) {
      const resource = resourceOf(request.type_name);
      const current = asObject(decodeValue(request.current_state));
      const id = current?.['id'];
      try {
        if (typeof id !== 'string') return { new_state: encodeValue(null), private: request.private };
        const node = await api().refresh(resource.get, resource.list, selectionOf(resource), id);
        const forms = readPrivate(request.private).forms;
        return { new_state: encodeValue(node ? stateFromServer(resource.attributes, node, current, forms) : null), private: request.private };
      } catch (failure) {
        return { diagnostics: diagnosticsOf(resource, failure), new_state: request.current_state };
      }
    },

    async PlanResourceChange(request: {
      type_name: string;
      prior_state?: DynamicValue;
      proposed_new_state?: DynamicValue;
      config?: DynamicValue;
      prior_private?: Uint8Array;
      client_capabilities?: ClientCapabilities;
    }) {
      const resource = resourceOf(request.type_name);
      const prior = asObject(decodeValue(request.prior_state));
      const proposed = asObject(decodeValue(request.proposed_new_state));
      const config = asObject(decodeValue(request.config)) ?? {};
      if (!proposed) return { planned_state: encodeValue(null) };
      const priorPrivate = readPrivate(request.prior_private);
      const writeOnly = request.client_capabilities?.write_only_attributes_allowed ?? writeOnlyAllowed;
      const diagnostics: Diagnostic[] = [];
      const planned: TfObject = { ...proposed };
      const requiresReplace: { steps: Step[] }[] = [];
      let sendSecrets = prior === null;

      for (const attribute of secretAttributes(resource)) {
        if (!writeOnly && config[attribute.name] !== null) {
          // An older core would store the secret in state as a plain sensitive value; keep it there explicitly.
          diagnostics.push({ severity: 'WARNING', summary: `${attribute.name} is stored in state`, detail: 'This Terraform does not support write-only attributes (Terraform ≥ 1.11 does): the value is kept in state, marked sensitive.' });
        }
        planned[attribute.name] = writeOnly ? null : config[attribute.name] ?? null;
      }
      if (prior === null) {
        for (const attribute of resource.attributes) {
          if (attribute.computed && planned[attribute.name] === null) planned[attribute.name] = UNKNOWN;
        }
      } else {
        planned['id'] = prior['id'] ?? null;
        for (const attribute of resource.attributes) {
          if (attribute.computed && attribute.input !== null && config[attribute.name] === null && priorPrivate.configured?.includes(attribute.name)) {
            planned[attribute.name] = UNKNOWN;
          }
          if (attribute.triggers !== null && !semanticallyEqual(attribute.type, prior[attribute.name] ?? null, planned[attribute.name] ?? null)) sendSecrets = true;
        }
        const secretDrift = secretAttributes(resource).some((a) => config[a.name] !== null) && priorPrivate.secretVersion !== undefined && priorPrivate.secretVersion !== versionOf(resource, prior);
        if (secretDrift) {
          sendSecrets = true;
          diagnostics.push({ severity: 'WARNING', summary: 'The secret was changed outside Terraform', detail: `${resource.typeName} ${String(prior['id'])}: its secret version moved since the last apply, so the configured value will be sent again.` });
        }
        const changed =
          sendSecrets ||
          resource.attributes.some((a) => a.input !== null && !a.writeOnly && (planned[a.name] === UNKNOWN || !semanticallyEqual(a.type, prior[a.name] ?? null, planned[a.name] ?? null)));
        for (const attribute of resource.attributes) {
          if (attribute.replace && !semanticallyEqual(attribute.type, prior[attribute.name] ?? null, planned[attribute.name] ?? null)) {
            requiresReplace.push({ steps: [{ attribute_name: attribute.name }] });
          }
          if (changed && attribute.input === null && attribute.triggers === null && attribute.computed && attribute.name !== 'id' && attribute.name !== 'created_at') {
            planned[attribute.name] = UNKNOWN;
          }
        }
      }
      return {
        planned_state: encodeValue(planned),
        requires_replace: requiresReplace,
        planned_private: writePrivate({ ...priorPrivate, sendSecrets }),
        diagnostics,
      };
    },

    async ApplyResourceChange(request: { type_name: string; prior_state?: DynamicValue; planned_state?: DynamicValue; config?: DynamicValue; planned_private?: Uint8Array }) {
      const resource = resourceOf(request.type_name);
      const prior = asObject(decodeValue(request.prior_state));
      const planned = asObject(decodeValue(request.planned_state));
      const config = asObject(decodeValue(request.config)) ?? {};
      const plannedPrivate = readPrivate(request.planned_private);
      try {
        if (!planned) {
          if (prior && typeof prior['id'] === 'string') {
            await api()
              .mutate(resource.delete, '$id: ID!', '', { id: prior['id'] })
              .catch((failure: unknown) => {
                if (!(failure instanceof ApiError && failure.typename === 'NotFound')) throw failure;
              });
          }
          return { new_state: encodeValue(null) };
        }
        const node = await upsert(resource, config, plannedPrivate.sendSecrets ?? prior === null);
        const forms = serverForms(resource.attributes, node);
        const state = stateFromServer(resource.attributes, node, planned, forms);
        const configured = resource.attributes.filter((a) => a.computed && a.input !== null && config[a.name] !== null).map((a) => a.name);
        return { new_state: encodeValue(state), private: writePrivate({ configured, secretVersion: versionOf(resource, state), forms }) };
      } catch (failure) {
        return { new_state: request.prior_state ?? encodeValue(null), diagnostics: diagnosticsOf(resource, failure) };
      }
    },

    async ImportResourceState(request: { type_name: string; id: string }) {
      const resource = resourceOf(request.type_name);
      const parts = request.id.split('/');
      const id = parts.at(-1) ?? '';
      const scope = parts.length === 2 ? parts[0] : null;
      if (parts.length > 2 || (scope !== null && !resource.importScope)) {
        return { diagnostics: [error('Invalid import id', `Use the bare id${resource.importScope ? ` or <${resource.importScope}>/<id>` : ''}; got "${request.id}".`)] };
      }
      try {
        const node = await api().read(resource.get, selectionOf(resource), id);
        if (!node) return { diagnostics: [error('Cannot import non-existent remote object', `${resource.typeName} ${id} does not exist in your organization.`)] };
        const state = stateFromServer(resource.attributes, node, null);
        if (scope !== null && resource.importScope && state[resource.importScope] !== scope) {
          return { diagnostics: [error('Import id does not match', `${resource.typeName} ${id} belongs to ${resource.importScope} ${String(state[resource.importScope])}, not ${scope}.`)] };
        }
        return { imported_resources: [{ type_name: resource.typeName, state: encodeValue(state) }] };
      } catch (failure) {
        return { diagnostics: diagnosticsOf(resource, failure) };
      }
    },

    async ReadDataSource(request: { type_name: string; config?: DynamicValue }) {
      const config = asObject(decodeValue(request.config)) ?? {};
      if (request.type_name === SIMULATION_TYPE) {
        try {
          return { state: encodeValue(await readSimulation(api(), config)) };
        } catch (failure) {
          return { diagnostics: diagnosticsOf(null, failure) };
        }
      }
      const resource = resourceOf(request.type_name);
      const attributes = dataSourceAttributes(resource);
      try {
        let node: Node | null;
        const byName = resource.getByName;
        if (typeof config['id'] === 'string') node = await api().read(resource.get, selectionOf(resource), config['id']);
        else if (byName && typeof config['name'] === 'string') {
          const data = await api().request(`query Lookup($name: String!) { found: ${byName}(name: $name) { ${selectionOf(resource)} } }`, { name: config['name'] });
          node = (data['found'] as Node | null) ?? null;
        } else return { diagnostics: [error(`Set one of ${lookupKeys(resource).join(', ')}`)] };
        if (!node) {
          const key = typeof config['id'] === 'string' ? 'id' : 'name';
          return { diagnostics: [error(`${resource.typeName} not found`, `No ${resource.graphqlType} with ${key} "${String(config[key])}" in your organization.`, [{ attribute_name: key }])] };
        }
        return { state: encodeValue(stateFromServer(attributes, node, null, {}, false)) };
      } catch (failure) {
        return { diagnostics: diagnosticsOf(resource, failure) };
      }
    },

    async StopProvider() {
      return { Error: '' };
    },
  };
  return handlers as unknown as ProviderHandlers;
}

/** tfplugin6 Schema messages built from the generated resource specs. */
import type { AttributeSpec, AttributeType, ResourceSpec } from './spec.ts';
import { VERSIONS } from './values.ts';

export interface SchemaAttribute {
  name: string;
  type?: Buffer;
  nested_type?: { attributes: SchemaAttribute[]; nesting: 'LIST' };
  description: string;
  description_kind: 'MARKDOWN';
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
  write_only: boolean;
}

export interface Schema {
  version: number;
  block: { version: number; attributes: SchemaAttribute[]; description: string; description_kind: 'MARKDOWN' };
}

/** The cty type of an attribute, as the JSON Terraform expects. */
export function ctyType(type: AttributeType): unknown {
  switch (type.kind) {
    case 'string':
    case 'json':
      return 'string';
    case 'number':
      return 'number';
    case 'bool':
      return 'bool';
    case 'map':
      return ['map', 'string'];
    case 'list':
      return ['list', ctyType(type.element)];
    case 'objects':
      return ['list', ['object', Object.fromEntries(type.attributes.map((a) => [a.name, ctyType(a.type)]))]];
  }
}

function schemaAttribute(attribute: AttributeSpec, flags: Pick<SchemaAttribute, 'required' | 'optional' | 'computed'>): SchemaAttribute {
  const common = {
    name: attribute.name,
    description: attribute.description,
    description_kind: 'MARKDOWN' as const,
    ...flags,
    sensitive: attribute.sensitive,
    write_only: attribute.writeOnly,
  };
  if (attribute.type.kind === 'objects') {
    const nestedFlags = (a: AttributeSpec) => (flags.required || flags.optional ? { required: a.required, optional: a.optional, computed: false } : { required: false, optional: false, computed: true });
    return { ...common, nested_type: { nesting: 'LIST', attributes: attribute.type.attributes.map((a) => schemaAttribute(a, nestedFlags(a))) } };
  }
  return { ...common, type: Buffer.from(JSON.stringify(ctyType(attribute.type))) };
}

/** A schema of hand-declared attributes (flags taken as given), e.g. the routing simulation data source. */
export function schemaOf(description: string, attributes: AttributeSpec[]): Schema {
  return schema(description, attributes.map((a) => schemaAttribute(a, { required: a.required, optional: a.optional, computed: a.computed })));
}

function schema(description: string, attributes: SchemaAttribute[]): Schema {
  return { version: 0, block: { version: 0, attributes, description, description_kind: 'MARKDOWN' } };
}

export function resourceSchema(resource: ResourceSpec): Schema {
  return schema(
    resource.description,
    resource.attributes.map((a) => schemaAttribute(a, { required: a.required, optional: a.optional, computed: a.computed })),
  );
}

/** The attributes a data source returns: everything the server reads back. */
export function dataSourceAttributes(resource: ResourceSpec): AttributeSpec[] {
  return resource.attributes.filter((a) => a.field !== null && !a.writeOnly);
}

/** Lookup keys of a data source: `id`, and `name` when the API can find the object by name. */
export function lookupKeys(resource: ResourceSpec): string[] {
  return resource.getByName ? ['id', 'name'] : ['id'];
}

export function dataSourceSchema(resource: ResourceSpec): Schema {
  const keys = lookupKeys(resource);
  return schema(
    `${resource.description} Looked up by ${keys.join(' or ')}.`,
    dataSourceAttributes(resource).map((a) =>
      schemaAttribute({ ...a, sensitive: false }, keys.includes(a.name) ? { required: false, optional: true, computed: true } : { required: false, optional: false, computed: true }),
    ),
  );
}

export const PROVIDER_SCHEMA: Schema = schema('AccessFlow: governance objects as code, through the public GraphQL API.', [
  {
    name: 'endpoint',
    type: Buffer.from('"string"'),
    description: 'Base URL of the AccessFlow server (e.g. `https://accessflow.example.com`). Default: `ACCESSFLOW_ENDPOINT`.',
    description_kind: 'MARKDOWN',
    required: false,
    optional: true,
    computed: false,
    sensitive: false,
    write_only: false,
  },
  {
    name: 'api_key',
    type: Buffer.from('"string"'),
    description: 'An API key (`af_…`), e.g. of a service account. Default: `ACCESSFLOW_API_KEY`.',
    description_kind: 'MARKDOWN',
    required: false,
    optional: true,
    computed: false,
    sensitive: true,
    write_only: false,
  },
]);

/** The GraphQL selection that reads every attribute of a resource back. */
export function selectionOf(resource: ResourceSpec): string {
  return resource.attributes
    .filter((a) => a.field !== null)
    .map((a) => {
      if (a.type.kind === 'objects') return `${a.field} { ${a.type.attributes.map((n) => n.field).join(' ')} }`;
      const versioned = a.field?.startsWith(VERSIONS) ? a.field.slice(VERSIONS.length) : null;
      return versioned ? `currentVersion versions { version ${versioned} }` : a.field;
    })
    .join(' ');
}

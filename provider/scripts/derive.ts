/**
 * Derives the provider's resources from the GraphQL SDL: every `upsert<X>` mutation with a `delete<X>` mutation
 * and an `<x>(id)` query is a resource `accessflow_<x>`. Attribute flags come from the SDL itself: non-null
 * input → required; a nullable input with a non-null scalar output → optional + computed (server default);
 * `@naturalKey` or `@replaceOnChange` → replace on change; `@writeOnly(version)` → write-only + a `*_wo_version`
 * trigger; `@stringMap` → map(string); any other JSON → a JSON string compared semantically.
 */
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import type { AttributeSpec, AttributeType, ResourceSpec } from '../src/spec.ts';

/** Names Terraform reserves in resource blocks; such a field is prefixed with the resource's first word. */
const RESERVED = new Set(['count', 'depends_on', 'for_each', 'lifecycle', 'provider', 'provisioner', 'connection']);

export const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

function directive(field: GraphQLInputField, name: string): Map<string, string> | null {
  const node = field.astNode?.directives?.find((d) => d.name.value === name);
  if (!node) return null;
  return new Map((node.arguments ?? []).map((arg) => [arg.name.value, arg.value.kind === 'StringValue' ? arg.value.value : '']));
}

function scalarType(name: string): AttributeType {
  if (name === 'Int' || name === 'Float') return { kind: 'number' };
  if (name === 'Boolean') return { kind: 'bool' };
  if (name === 'JSON') return { kind: 'json' };
  return { kind: 'string' };
}

function isScalarLike(type: GraphQLOutputType | GraphQLInputType): boolean {
  const named = getNamedType(type);
  return isScalarType(named) || isEnumType(named);
}

function attribute(partial: Partial<AttributeSpec> & Pick<AttributeSpec, 'name' | 'type'>): AttributeSpec {
  return {
    field: null,
    input: null,
    required: false,
    optional: false,
    computed: false,
    sensitive: false,
    writeOnly: false,
    nullable: true,
    replace: false,
    triggers: null,
    version: null,
    description: '',
    ...partial,
  };
}

/** An input list of input objects (e.g. approvers) becomes a nested list attribute. */
function nestedAttributes(inputType: GraphQLInputType): AttributeSpec[] {
  const named = getNamedType(inputType);
  if (!isInputObjectType(named)) throw new Error(`not an input object: ${named.name}`);
  return Object.values(named.getFields()).map((field) =>
    attribute({
      name: snake(field.name),
      field: field.name,
      input: field.name,
      type: scalarType(getNamedType(field.type).name),
      required: isNonNullType(field.type),
      optional: !isNonNullType(field.type),
      description: field.description ?? '',
    }),
  );
}

function inputAttributeType(field: GraphQLInputField): AttributeType {
  const type = getNullableType(field.type);
  if (isListType(type)) {
    const element = getNamedType(type);
    if (isInputObjectType(element)) return { kind: 'objects', attributes: nestedAttributes(type) };
    return { kind: 'list', element: scalarType(element.name) };
  }
  if (getNamedType(type).name === 'JSON' && directive(field, 'stringMap')) return { kind: 'map', element: 'string' };
  return scalarType(getNamedType(type).name);
}

function outputAttributeType(field: GraphQLField<unknown, unknown>): AttributeType {
  const type = getNullableType(field.type);
  if (isListType(type)) return { kind: 'list', element: scalarType(getNamedType(type).name) };
  return scalarType(getNamedType(type).name);
}

/**
 * `versions.<name>` when the object type keeps an input field per version only (a query template's `body`): a
 * `versions` list whose items have `version` and the field, and `currentVersion` naming the current one.
 */
function currentVersionField(object: GraphQLObjectType, name: string): string | null {
  const outputs = object.getFields();
  const versions = outputs['versions'];
  if (!versions || !outputs['currentVersion']) return null;
  const item = getNamedType(versions.type);
  if (!isObjectType(item)) return null;
  const fields = item.getFields();
  const field = fields[name];
  return fields['version'] && field && isScalarLike(field.type) ? `versions.${name}` : null;
}

function successDataType(schema: GraphQLSchema, mutation: GraphQLField<unknown, unknown>): GraphQLObjectType | null {
  const union = getNamedType(mutation.type);
  const successName = `Mutation${mutation.name.charAt(0).toUpperCase()}${mutation.name.slice(1)}Success`;
  const success = schema.getType(successName);
  if (!isObjectType(success) || union.name !== `Mutation${successName.slice(8, -7)}Result`) return null;
  const data = getNamedType(success.getFields()['data']?.type);
  return isObjectType(data) ? data : null;
}

/** The connection query (`first`/`after`, no required argument) whose nodes are objects of this type. */
function listQuery(queries: Record<string, GraphQLField<unknown, unknown>>, object: GraphQLObjectType): string | null {
  for (const field of Object.values(queries)) {
    const connection = getNamedType(field.type);
    if (!isObjectType(connection)) continue;
    const edge = getNamedType(connection.getFields()['edges']?.type);
    const node = isObjectType(edge) ? getNamedType(edge.getFields()['node']?.type) : undefined;
    const paged = ['first', 'after'].every((name) => field.args.some((arg) => arg.name === name));
    if (node?.name === object.name && paged && !field.args.some((arg) => isNonNullType(arg.type))) return field.name;
  }
  return null;
}

export interface Derived {
  resources: ResourceSpec[];
  /** Upsert mutations that lack a delete mutation or an `(id)` query, so no resource could be derived. */
  unmatched: string[];
}

export function deriveResources(sdl: string): Derived {
  const schema = buildSchema(sdl);
  const mutations = schema.getMutationType()?.getFields() ?? {};
  const queries = schema.getQueryType()?.getFields() ?? {};
  const resources: ResourceSpec[] = [];
  const unmatched: string[] = [];
  for (const mutation of Object.values(mutations)) {
    if (!mutation.name.startsWith('upsert')) continue;
    const entity = mutation.name.slice('upsert'.length);
    const get = queries[lowerFirst(entity)];
    const del = mutations[`delete${entity}`];
    const object = successDataType(schema, mutation);
    const inputArg = mutation.args.find((arg) => arg.name === 'input');
    const inputType = inputArg ? getNamedType(inputArg.type) : null;
    if (!get || !get.args.some((arg) => arg.name === 'id') || !del || !object || !isInputObjectType(inputType)) {
      unmatched.push(mutation.name);
      continue;
    }
    const typeSnake = snake(entity);
    const tfName = (field: string) => (RESERVED.has(snake(field)) ? `${typeSnake.split('_')[0]}_${snake(field)}` : snake(field));
    const outputs = object.getFields();
    const inputs = inputType.getFields();
    const attributes: AttributeSpec[] = [attribute({ name: 'id', field: 'id', type: { kind: 'string' }, computed: true, description: 'The object id.' })];
    const secretVersions = new Set<string>();

    for (const field of Object.values(inputs)) {
      const name = tfName(field.name);
      const written = directive(field, 'writeOnly');
      if (written) {
        const version = written.get('version') ?? '';
        secretVersions.add(version);
        attributes.push(
          attribute({
            name,
            input: field.name,
            type: inputAttributeType(field),
            optional: true,
            sensitive: true,
            writeOnly: true,
            version: snake(version),
            description: `${field.description ?? ''} Never stored in state; change \`${name}_wo_version\` to send a new value.`.trim(),
          }),
          attribute({
            name: `${name}_wo_version`,
            type: { kind: 'number' },
            optional: true,
            triggers: name,
            description: `Any number; changing it sends \`${name}\` again. Not stored by the server (null after import).`,
          }),
        );
        continue;
      }
      const output = outputs[field.name];
      const readable = output !== undefined && isScalarLike(output.type) ? output : undefined;
      const required = isNonNullType(field.type);
      const type = inputAttributeType(field);
      const serverDefault = !required && readable !== undefined && isNonNullType(readable.type) && !isListType(getNullableType(readable.type)) && type.kind !== 'json' && type.kind !== 'map';
      attributes.push(
        attribute({
          name,
          field: readable || type.kind === 'objects' ? field.name : currentVersionField(object, field.name),
          input: field.name,
          type,
          required,
          optional: !required,
          computed: serverDefault,
          nullable: !(output && isNonNullType(output.type)),
          replace: directive(field, 'naturalKey') !== null || directive(field, 'replaceOnChange') !== null,
          description: field.description ?? readable?.description ?? '',
        }),
      );
    }
    for (const output of Object.values(outputs)) {
      if (output.name === 'id' || inputs[output.name] || !isScalarLike(output.type)) continue;
      attributes.push(
        attribute({
          name: tfName(output.name),
          field: output.name,
          type: outputAttributeType(output),
          computed: true,
          nullable: !isNonNullType(output.type),
          description: output.description ?? (secretVersions.has(output.name) ? 'Increases whenever the secret changes.' : ''),
        }),
      );
    }
    const scope = Object.values(inputs).find((field) => directive(field, 'naturalKey') && isNonNullType(field.type) && field.name.endsWith('Id'));
    const byName = queries[`${lowerFirst(entity)}ByName`];
    resources.push({
      typeName: `accessflow_${typeSnake}`,
      graphqlType: object.name,
      description: object.description ?? '',
      upsert: mutation.name,
      inputType: inputType.name,
      delete: del.name,
      get: get.name,
      getByName: byName && byName.args.some((arg) => arg.name === 'name') ? byName.name : null,
      list: listQuery(queries, object),
      importScope: scope ? snake(scope.name) : null,
      attributes,
    });
  }
  resources.sort((a, b) => a.typeName.localeCompare(b.typeName));
  return { resources, unmatched };
}

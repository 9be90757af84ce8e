/**
 * Between GraphQL objects and Terraform values. Reading back keeps the reference value (prior state or plan)
 * whenever the server's value means the same thing — JSON compared as data, timestamps as instants, lists as
 * multisets, empty as null — so a server's canonical form never shows up as drift.
 */
import { UNKNOWN, type TfObject, type TfValue } from './protocol/dynamic-value.ts';
import type { AttributeSpec, AttributeType } from './spec.ts';

export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function parseJson(text: TfValue): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;
const isEmpty = (value: TfValue) =>
  value === null || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && Object.keys(value).length === 0);

/** Do `a` and `b` mean the same value of this type? */
export function semanticallyEqual(type: AttributeType, a: TfValue, b: TfValue): boolean {
  if (a === UNKNOWN || b === UNKNOWN) return false;
  if (isEmpty(a) && isEmpty(b)) return type.kind === 'list' || type.kind === 'objects' || type.kind === 'map' || a === b;
  if (a === null || b === null) return false;
  switch (type.kind) {
    case 'json': {
      const [pa, pb] = [parseJson(a), parseJson(b)];
      return pa !== undefined && pb !== undefined && canonical(pa) === canonical(pb);
    }
    case 'string':
      return a === b || (typeof a === 'string' && typeof b === 'string' && ISO_INSTANT.test(a) && ISO_INSTANT.test(b) && Date.parse(a) === Date.parse(b));
    case 'list':
    case 'objects': {
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
      const sortedA = a.map(canonical).sort();
      const sortedB = b.map(canonical).sort();
      return sortedA.every((item, i) => item === sortedB[i]);
    }
    default:
      return canonical(a) === canonical(b);
  }
}

/** A server value (GraphQL JSON) as the Terraform value of this type. */
function fromServerValue(type: AttributeType, value: unknown): TfValue {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'json':
      // Compact with sorted keys: what Terraform's jsonencode() writes, so imported and generated config agree.
      return canonical(value);
    case 'map':
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    case 'list':
      return (value as unknown[]).map((item) => fromServerValue(type.element, item));
    case 'objects':
      return (value as Record<string, unknown>[]).map((item) =>
        Object.fromEntries(type.attributes.map((a) => [a.name, fromServerValue(a.type, item[a.field ?? a.name])])),
      );
    case 'number':
      return Number(value);
    case 'bool':
      return Boolean(value);
    case 'string':
      return String(value);
  }
}

/** The prefix of a field kept per version (AttributeSpec.field). */
export const VERSIONS = 'versions.';

/** The server's value of `field`; for `versions.<name>`, that field of the version numbered `currentVersion`. */
function serverValue(node: Record<string, unknown>, field: string): unknown {
  if (!field.startsWith(VERSIONS)) return node[field];
  const versions = Array.isArray(node['versions']) ? (node['versions'] as Record<string, unknown>[]) : [];
  return versions.find((version) => version['version'] === node['currentVersion'])?.[field.slice(VERSIONS.length)];
}

/** What the server returned for each settable attribute, canonically encoded (kept in private state). */
export function serverForms(attributes: AttributeSpec[], node: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(attributes.filter((a) => a.field !== null && a.input !== null).map((a) => [a.name, canonical(fromServerValue(a.type, serverValue(node, a.field ?? '')))]));
}

/**
 * The Terraform state of one object read from the server. `reference` (prior state on refresh, planned state on
 * apply, null on import) supplies what the server never returns and wins wherever it means the same thing: when
 * semantically equal, or when the server still returns exactly what it returned right after our last write
 * (`forms`), i.e. its own canonical form of the configured value (`:user.x` → `user.x`, lower-cased names).
 * Data sources pass `emptyAsNull = false`: they report the server's empty lists as empty, not null.
 */
export function stateFromServer(attributes: AttributeSpec[], node: Record<string, unknown>, reference: TfObject | null, forms: Record<string, string> = {}, emptyAsNull = true): TfObject {
  const state: TfObject = {};
  for (const attribute of attributes) {
    const kept = reference?.[attribute.name] ?? null;
    if (attribute.writeOnly) state[attribute.name] = null;
    else if (attribute.field === null) state[attribute.name] = kept === UNKNOWN ? null : kept;
    else {
      const fresh = fromServerValue(attribute.type, serverValue(node, attribute.field));
      const same = forms[attribute.name] === canonical(fresh) || (kept === null ? emptyAsNull && isEmpty(fresh) : semanticallyEqual(attribute.type, kept, fresh));
      state[attribute.name] = kept !== UNKNOWN && same ? kept : fresh;
    }
  }
  return state;
}

/** The value a GraphQL input field takes from a Terraform config value (undefined = leave it out). */
export function inputValue(attribute: AttributeSpec, value: TfValue): unknown {
  const type = attribute.type;
  if (value === null || value === UNKNOWN) {
    // Authoritative collections: an omitted list or map means none, so a removed one is cleared on the server.
    if (type.kind === 'list' || type.kind === 'objects') return attribute.computed ? undefined : attribute.nullable ? null : [];
    if (type.kind === 'map' || type.kind === 'json') return attribute.computed ? undefined : null;
    return attribute.required || attribute.computed ? undefined : null;
  }
  switch (type.kind) {
    case 'json':
      return JSON.parse(value as string);
    case 'objects':
      return (value as TfObject[]).map((item) =>
        Object.fromEntries(type.attributes.filter((a) => item[a.name] !== null).map((a) => [a.input ?? a.name, item[a.name]])),
      );
    default:
      return value;
  }
}

/** Every attribute present (null when missing), nothing else: what the msgpack object decoder demands. */
export function complete(attributes: AttributeSpec[], value: Record<string, unknown>): TfObject {
  return Object.fromEntries(
    attributes.map((a) => {
      const item = value[a.name];
      if (a.type.kind === 'objects' && Array.isArray(item)) return [a.name, item.map((entry: Record<string, unknown>) => complete(a.type.kind === 'objects' ? a.type.attributes : [], entry))];
      return [a.name, (item ?? null) as TfValue];
    }),
  );
}

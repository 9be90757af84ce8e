/** What the generator derives from schema/schema.graphql for one resource, and what the runtime serves from it. */

/** A Terraform value type of an attribute (nested objects only inside `list`). */
export type AttributeType =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'bool' }
  /** A GraphQL JSON value held as a JSON string and compared semantically. */
  | { kind: 'json' }
  | { kind: 'map'; element: 'string' }
  | { kind: 'list'; element: AttributeType }
  | { kind: 'objects'; attributes: AttributeSpec[] };

export interface AttributeSpec {
  /** Terraform attribute name (snake_case). */
  name: string;
  /**
   * The field of the GraphQL object type that reads it back; `versions.<field>` for a field kept per version (read
   * from the version numbered `currentVersion`); null when the server never returns it.
   */
  field: string | null;
  /** The field of the upsert input that sets it; null for a read-only attribute. */
  input: string | null;
  type: AttributeType;
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
  writeOnly: boolean;
  /** The server may return null for it (so null, not an empty list, is what an omitted value sends). */
  nullable: boolean;
  /** A change means another object: the plan replaces the resource. */
  replace: boolean;
  /** For a `*_wo_version` trigger: the write-only attribute it re-sends. */
  triggers: string | null;
  /** For a write-only attribute: the computed attribute the server increases whenever the secret changes. */
  version: string | null;
  description: string;
}

export interface ResourceSpec {
  /** e.g. accessflow_datasource */
  typeName: string;
  graphqlType: string;
  description: string;
  upsert: string;
  inputType: string;
  delete: string;
  get: string;
  /** `<x>ByName(name)` when the API has it: the data source may look the object up by name. */
  getByName: string | null;
  /** A connection query listing every object of the type (no required arguments): a large refresh reads pages of it. */
  list: string | null;
  /** The id attribute of the parent an import id may name first (`datasource_id/policy_id`). */
  importScope: string | null;
  attributes: AttributeSpec[];
}

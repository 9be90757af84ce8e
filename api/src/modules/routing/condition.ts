/**
 * A routing policy's condition (FEATURES C5): the seed product's `type`-discriminated JSON tree, so a condition
 * written for it is accepted here unchanged. Validated on write: shape (zod, unknown keys refused), a depth and
 * size limit, globs that can match a table, time-of-day windows inside the day.
 */
import picomatch from 'picomatch';
import { z } from 'zod';
import { ValidationError, type FieldIssue } from '../../errors.ts';
import { ROLES } from '../identity/permissions.ts';
import { RISK_LEVELS } from '../review/review-plan.entity.ts';

/** The deepest tree accepted (a leaf directly under the root is depth 2); deeper trees are refused. */
export const MAX_CONDITION_DEPTH = 8;
/** At most this many nodes in one tree. */
export const MAX_CONDITION_NODES = 200;

/** `OTHER` is the seed's type for statements it cannot name; our classifier never produces it. */
export const ROUTED_QUERY_TYPES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'DDL', 'OTHER'] as const;
export const DAYS_OF_WEEK = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export const SCORE_OPERATORS = ['LT', 'LTE', 'GT', 'GTE', 'EQ'] as const;

export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

export type Leaf =
  | { type: 'query_type'; any_of: (typeof ROUTED_QUERY_TYPES)[number][] }
  | { type: 'referenced_table'; globs: string[] }
  | { type: 'risk_level'; any_of: (typeof RISK_LEVELS)[number][] }
  | { type: 'risk_score'; operator: (typeof SCORE_OPERATORS)[number]; value: number }
  | { type: 'requester_role'; any_of: (typeof ROLES)[number][] }
  | { type: 'requester_group'; group_ids: string[] }
  | { type: 'time_of_day'; start_minute_of_day: number; end_minute_of_day: number }
  | { type: 'day_of_week'; any_of: DayOfWeek[] }
  | { type: 'has_where'; expected: boolean }
  | { type: 'has_limit'; expected: boolean }
  | { type: 'transactional'; expected: boolean }
  | { type: 'cicd_origin'; expected: boolean };

export type Condition = Leaf | { type: 'and'; children: Condition[] } | { type: 'or'; children: Condition[] } | { type: 'not'; child: Condition };

/** Upper-cases before checking an enum, so `select` and `Select` are accepted and stored as `SELECT`. */
const upperEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v), z.enum(values));
const nonEmpty = <T extends z.ZodType>(item: T) => z.array(item).min(1, 'name at least one').max(100);

/** A glob over `schema.table` (or a bare table name): letters, digits, `_ $ -`, the wildcards `* ?` and `[…]` classes. */
const GLOB = /^(?:[\w$*?-]|\[!?[\w$-]+\])+(?:\.(?:[\w$*?-]|\[!?[\w$-]+\])+)?$/;
const glob = z
  .string()
  .trim()
  .toLowerCase()
  .refine((g) => GLOB.test(g), 'a glob over schema.table or table: letters, digits, _ $ -, the wildcards * and ?, and [...] classes; at most one dot');

const minute = z.number().int().min(0);

const leafSchemas = [
  z.strictObject({ type: z.literal('query_type'), any_of: nonEmpty(upperEnum(ROUTED_QUERY_TYPES)) }),
  z.strictObject({ type: z.literal('referenced_table'), globs: nonEmpty(glob) }),
  z.strictObject({ type: z.literal('risk_level'), any_of: nonEmpty(upperEnum(RISK_LEVELS)) }),
  z.strictObject({ type: z.literal('risk_score'), operator: upperEnum(SCORE_OPERATORS), value: z.number().min(0).max(100) }),
  z.strictObject({ type: z.literal('requester_role'), any_of: nonEmpty(upperEnum(ROLES)) }),
  z.strictObject({ type: z.literal('requester_group'), group_ids: nonEmpty(z.uuid()) }),
  z
    .strictObject({ type: z.literal('time_of_day'), start_minute_of_day: minute.max(1439), end_minute_of_day: minute.max(1440) })
    .refine((w) => w.start_minute_of_day !== w.end_minute_of_day, 'start and end are equal: the window would be empty (leave the leaf out for all day)'),
  z.strictObject({ type: z.literal('day_of_week'), any_of: nonEmpty(upperEnum(DAYS_OF_WEEK)) }),
  ...(['has_where', 'has_limit', 'transactional', 'cicd_origin'] as const).map((type) => z.strictObject({ type: z.literal(type), expected: z.boolean() })),
];

export const LEAF_TYPES = ['query_type', 'referenced_table', 'risk_level', 'risk_score', 'requester_role', 'requester_group', 'time_of_day', 'day_of_week', 'has_where', 'has_limit', 'transactional', 'cicd_origin'] as const;

/** Leaves of the seed product that AccessFlow does not evaluate; a tree using one is refused rather than half-applied. */
const UNSUPPORTED_LEAVES = ['source_ip', 'user_agent', 'time_since_last_approval', 'anomaly_detected', 'estimated_rows', 'scan_type'];

const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('and'), children: z.array(conditionSchema).min(1, 'an and node needs at least one child').max(50) }),
    z.strictObject({ type: z.literal('or'), children: z.array(conditionSchema).min(1, 'an or node needs at least one child').max(50) }),
    z.strictObject({ type: z.literal('not'), child: conditionSchema }),
    ...leafSchemas,
  ] as unknown as [z.ZodObject, ...z.ZodObject[]]),
) as unknown as z.ZodType<Condition>;

/** Depth and node count, measured without recursion so a hostile, very deep tree cannot exhaust the stack. */
function measure(root: unknown): { depth: number; nodes: number } {
  let depth = 0;
  let nodes = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0 && depth <= MAX_CONDITION_DEPTH && nodes <= MAX_CONDITION_NODES) {
    const [node, level] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    nodes += 1;
    depth = Math.max(depth, level);
    const { children, child } = node as { children?: unknown; child?: unknown };
    if (Array.isArray(children)) for (const c of children) stack.push([c, level + 1]);
    if (child !== undefined) stack.push([child, level + 1]);
  }
  return { depth, nodes };
}

/** The condition as stored: validated and normalised (enum values upper-cased, globs lower-cased). */
export function parseCondition(input: unknown, path = 'condition'): Condition {
  const { depth, nodes } = measure(input);
  if (depth > MAX_CONDITION_DEPTH) {
    throw new ValidationError(`${path}: the tree is deeper than ${MAX_CONDITION_DEPTH} levels`, [{ path, message: `deeper than ${MAX_CONDITION_DEPTH} levels` }]);
  }
  if (nodes > MAX_CONDITION_NODES) {
    throw new ValidationError(`${path}: the tree has more than ${MAX_CONDITION_NODES} nodes`, [{ path, message: `more than ${MAX_CONDITION_NODES} nodes` }]);
  }
  const parsed = conditionSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues: FieldIssue[] = parsed.error.issues.map((issue) => ({
    path: [path, ...issue.path.map(String)].join('.'),
    message: unsupportedLeafMessage(input, issue.path) ?? issue.message,
  }));
  throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

function unsupportedLeafMessage(root: unknown, path: readonly PropertyKey[]): string | null {
  let node: unknown = root;
  for (const key of path) {
    if (key === 'type') break;
    node = typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>)[key] : undefined;
  }
  const type = typeof node === 'object' && node !== null ? (node as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') return null;
  if (UNSUPPORTED_LEAVES.includes(type)) return `the seed product's "${type}" condition is not supported by AccessFlow`;
  if (![...LEAF_TYPES, 'and', 'or', 'not'].includes(type)) return `unknown condition type "${type}"; use and, or, not or one of ${LEAF_TYPES.join(', ')}`;
  return null;
}

/** Every group id the tree names, to check they exist in the organization. */
export function groupIdsIn(condition: Condition): string[] {
  switch (condition.type) {
    case 'and':
    case 'or':
      return condition.children.flatMap(groupIdsIn);
    case 'not':
      return groupIdsIn(condition.child);
    case 'requester_group':
      return condition.group_ids;
    default:
      return [];
  }
}

/** The `referenced_table` globs of the tree that match none of `tables` (deduplicated, in tree order). */
export function unmatchedGlobs(condition: Condition, tables: readonly { schema: string; name: string }[]): string[] {
  const globs = new Set<string>();
  const walk = (node: Condition): void => {
    if (node.type === 'and' || node.type === 'or') node.children.forEach(walk);
    else if (node.type === 'not') walk(node.child);
    else if (node.type === 'referenced_table') node.globs.forEach((g) => globs.add(g));
  };
  walk(condition);
  return [...globs].filter((glob) => !tables.some(tableMatcher(glob)));
}

/**
 * A table matcher for one glob. A glob with a dot matches `schema.table` (an unqualified reference is taken in
 * the datasource's default schema); one without a dot matches the table name in any schema. Case-insensitive.
 */
export function tableMatcher(globPattern: string): (table: { schema: string; name: string }) => boolean {
  let matcher = matchers.get(globPattern);
  if (!matcher) {
    const qualified = globPattern.includes('.');
    const pattern = picomatch.makeRe(globPattern, { nocase: true, dot: true, nobrace: true, noextglob: true, noglobstar: true });
    matcher = (table) => pattern.test(qualified ? `${table.schema}.${table.name}` : table.name);
    // Compiling a glob costs far more than matching it; the cache is bounded, as globs come from stored policies.
    if (matchers.size >= MAX_CACHED_MATCHERS) matchers.clear();
    matchers.set(globPattern, matcher);
  }
  return matcher;
}

const MAX_CACHED_MATCHERS = 10_000;
const matchers = new Map<string, (table: { schema: string; name: string }) => boolean>();

/** A valid IANA time zone name, in its canonical spelling; offsets such as `+02:00` are refused (they ignore DST). */
export function parseTimeZone(value: string, path = 'timeZone'): string {
  const fail = () => new ValidationError(`${path}: "${value}" is not an IANA time zone such as Europe/Berlin or UTC`, [{ path, message: 'not an IANA time zone' }]);
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value)) throw fail();
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    throw fail();
  }
}

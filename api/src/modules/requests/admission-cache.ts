/**
 * The configuration a submission is judged by, for one person on one datasource: the datasource, their groups,
 * grants, row-security predicates and masking policies, the review plan, classification tags, routing policies
 * and the organization's quota. Reading it costs a dozen store statements, so it is kept per replica and reused
 * while the organization's configuration version is unchanged (every configuration change moves the version on
 * when it commits, see AuditService) and no grant behind it has expired.
 *
 * A cached entry is only ever a claim: the transaction that records a submission locks the organization's audit
 * chain, reads the version under that lock, and uses the entry only when the version is the one it was read at.
 */
import type { Classified } from '../classification/classification-tag.service.ts';
import type { Datasource } from '../datasources/datasource.entity.ts';
import type { EffectiveAccess } from '../grants/access.ts';
import type { MaskingPolicy } from '../masking/masking-policy.entity.ts';
import type { reviewPlanOf } from '../review/approvers.ts';
import type { RoutingPolicy } from '../routing/routing-policy.entity.ts';
import type { RowPredicate } from '../rowsecurity/rewrite.ts';
import type { Actor } from '../../graphql/context.ts';

export interface AdmissionInputs {
  /** The organization's configuration version these were read at (read before them, in the same transaction). */
  configVersion: number;
  datasource: Datasource;
  groupIds: readonly string[];
  access: EffectiveAccess;
  predicates: RowPredicate[];
  /** The masking policies that apply to this person (not revealed to them). */
  maskingPolicies: MaskingPolicy[];
  plan: Awaited<ReturnType<typeof reviewPlanOf>>;
  classified: Classified;
  routingPolicies: RoutingPolicy[];
  maxQueriesPerDay: number;
}

/** Entries kept per replica; the oldest goes first. */
const CAPACITY = 2_000;

export class AdmissionCache {
  readonly #entries = new Map<string, AdmissionInputs>();

  /** The inputs last read for this person and datasource, if none of their grants has expired since. */
  peek(actor: Actor, datasourceId: string, now = new Date()): AdmissionInputs | null {
    const key = keyOf(actor, datasourceId);
    const inputs = this.#entries.get(key);
    if (!inputs) return null;
    if (inputs.access.changesAt && inputs.access.changesAt <= now) {
      this.#entries.delete(key);
      return null;
    }
    return inputs;
  }

  /** The cached inputs when they were read at `configVersion`; otherwise null (and they are dropped). */
  current(actor: Actor, datasourceId: string, configVersion: number): AdmissionInputs | null {
    const inputs = this.peek(actor, datasourceId);
    if (inputs && inputs.configVersion === configVersion) return inputs;
    if (inputs) this.#entries.delete(keyOf(actor, datasourceId));
    return null;
  }

  put(actor: Actor, inputs: AdmissionInputs): void {
    const key = keyOf(actor, inputs.datasource.id);
    const stored = this.#entries.get(key);
    // Never replace newer inputs with older ones read by a slower concurrent transaction.
    if (stored && stored.configVersion > inputs.configVersion) return;
    this.#entries.delete(key);
    this.#entries.set(key, inputs);
    if (this.#entries.size > CAPACITY) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

/** Role is part of the key: what a person may do and see follows from it as well as from their grants. */
function keyOf(actor: Actor, datasourceId: string): string {
  return `${actor.orgId}\u0000${actor.userId}\u0000${actor.role}\u0000${datasourceId}`;
}

/** Masking policies (FEATURES C7): upsert by (datasource, column), delete, and the rules for one person. */
import { NotFoundError, ValidationError } from '../../errors.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import { flushOrConflict, type EntityManager } from '../../store/store.ts';
import { auditOriginOf } from '../audit/audit.service.ts';
import { AuditedService } from '../audit/audited-service.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import type { Role } from '../identity/permissions.ts';
import { MaskingPolicyEntity, type MaskingPolicy } from './masking-policy.entity.ts';

type Strategy = MaskingPolicy['strategy'];

export interface UpsertMaskingPolicyInput {
  datasourceId: string;
  columnRef: string;
  strategy: Strategy;
  strategyParams?: Record<string, string> | null;
  revealToRoles?: Role[] | null;
  revealToGroupIds?: string[] | null;
  revealToUserIds?: string[] | null;
  enabled?: boolean | null;
}

/** Who is reading, for reveal lists. */
export interface Viewer {
  userId: string;
  role: Role;
  groupIds: readonly string[];
}

const COLUMN_REF = /^[^.\s]+(\.[^.\s]+){0,2}$/;

export class MaskingPolicyService extends AuditedService {
  /** Several by id in one transaction (missing ones are left out). */
  async getMany(actor: Actor, ids: readonly string[]): Promise<MaskingPolicy[]> {
    return this.store.tenant(actor.orgId, (em) => em.find(MaskingPolicyEntity, { id: { $in: [...ids] } }));
  }

  async get(actor: Actor, id: string): Promise<MaskingPolicy | null> {
    return this.store.tenant(actor.orgId, (em) => em.findOne(MaskingPolicyEntity, { id }));
  }

  async list(actor: Actor, datasourceId: string | null, offset: number, limit: number): Promise<MaskingPolicy[]> {
    return this.store.tenant(actor.orgId, (em) =>
      em.find(MaskingPolicyEntity, datasourceId ? { datasourceId } : {}, { orderBy: { columnRef: 'asc', id: 'asc' }, offset, limit }),
    );
  }

  async upsert(actor: Actor, origin: Origin, input: UpsertMaskingPolicyInput): Promise<MaskingPolicy> {
    const columnRef = input.columnRef.trim().toLowerCase();
    if (!COLUMN_REF.test(columnRef)) {
      throw new ValidationError('columnRef: use schema.table.column, table.column or column', [{ path: 'columnRef', message: 'use schema.table.column, table.column or column' }]);
    }
    const suffix = input.strategyParams?.['visible_suffix'];
    if (suffix !== undefined && !/^\d{1,3}$/.test(suffix)) {
      throw new ValidationError('strategyParams.visible_suffix: a whole number of characters', [{ path: 'strategyParams.visible_suffix', message: 'a whole number' }]);
    }
    return this.store.tenant(actor.orgId, async (em) => {
      if (!(await em.findOne(DatasourceEntity, { id: input.datasourceId }))) throw new NotFoundError('Datasource', input.datasourceId);
      let policy = await em.findOne(MaskingPolicyEntity, { datasourceId: input.datasourceId, columnRef });
      const created = policy === null;
      policy ??= em.create(MaskingPolicyEntity, { organizationId: actor.orgId, datasourceId: input.datasourceId, columnRef, strategy: input.strategy });
      em.assign(policy, {
        strategy: input.strategy,
        strategyParams: input.strategyParams ?? {},
        revealToRoles: input.revealToRoles ?? [],
        revealToGroupIds: input.revealToGroupIds ?? [],
        revealToUserIds: input.revealToUserIds ?? [],
        enabled: input.enabled ?? true,
      });
      await flushOrConflict(em, `a masking policy for ${columnRef} already exists on this datasource`);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: created ? 'MASKING_POLICY_CREATED' : 'MASKING_POLICY_UPDATED',
        targetType: 'MaskingPolicy',
        targetId: policy.id,
        metadata: { ...input, columnRef },
      });
      return policy;
    });
  }

  async delete(actor: Actor, origin: Origin, id: string): Promise<string> {
    return this.store.tenant(actor.orgId, async (em) => {
      const policy = await em.findOne(MaskingPolicyEntity, { id });
      if (!policy) throw new NotFoundError('MaskingPolicy', id);
      em.remove(policy);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'MASKING_POLICY_DELETED',
        targetType: 'MaskingPolicy',
        targetId: id,
        metadata: { datasourceId: policy.datasourceId, columnRef: policy.columnRef },
      });
      return id;
    });
  }

  /** The enabled policies of a datasource that mask for `viewer` (those not revealed to them). */
  async policiesFor(em: EntityManager, datasourceId: string, viewer: Viewer): Promise<MaskingPolicy[]> {
    const policies = await em.find(MaskingPolicyEntity, { datasourceId, enabled: true });
    return policies.filter(
      (p) =>
        !p.revealToUserIds.includes(viewer.userId) &&
        !p.revealToRoles.includes(viewer.role) &&
        !p.revealToGroupIds.some((groupId) => viewer.groupIds.includes(groupId)),
    );
  }
}

/** Grants (FEATURES C2): upsert by (datasource, subject), delete, and the effective access of a person. */
import { NotFoundError, ValidationError } from '../../errors.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import { flushOrConflict, type EntityManager } from '../../store/store.ts';
import { auditOriginOf } from '../audit/audit.service.ts';
import { AuditedService } from '../audit/audited-service.ts';
import { DatasourceEntity, type Datasource } from '../datasources/datasource.entity.ts';
import { UserGroupEntity } from '../groups/user-group.entity.ts';
import { UserEntity } from '../identity/user.entity.ts';
import { activeAccessGrants } from '../access/access-request.service.ts';
import { combineGrants, nameRuleOf, type EffectiveAccess } from './access.ts';
import { GrantEntity, type Grant } from './grant.entity.ts';

export interface UpsertGrantInput {
  datasourceId: string;
  userId?: string | null;
  groupId?: string | null;
  canRead?: boolean | null;
  canWrite?: boolean | null;
  canDdl?: boolean | null;
  canBreakGlass?: boolean | null;
  allowedSchemas?: string[] | null;
  allowedTables?: string[] | null;
  restrictedColumns?: string[] | null;
  maxRows?: number | null;
  expiresAt?: Date | null;
}

export class GrantService extends AuditedService {
  /** Several by id in one transaction (missing ones are left out). */
  async getMany(actor: Actor, ids: readonly string[]): Promise<Grant[]> {
    return this.store.tenant(actor.orgId, (em) => em.find(GrantEntity, { id: { $in: [...ids] } }));
  }

  async get(actor: Actor, id: string): Promise<Grant | null> {
    return this.store.tenant(actor.orgId, (em) => em.findOne(GrantEntity, { id }));
  }

  async list(actor: Actor, datasourceId: string | null, offset: number, limit: number): Promise<Grant[]> {
    return this.store.tenant(actor.orgId, (em) =>
      em.find(GrantEntity, datasourceId ? { datasourceId } : {}, { orderBy: { createdAt: 'asc', id: 'asc' }, offset, limit }),
    );
  }

  /** Authoritative for the (datasource, subject) pair: omitted fields take their defaults. */
  async upsert(actor: Actor, origin: Origin, input: UpsertGrantInput): Promise<Grant> {
    if (!input.userId === !input.groupId) {
      throw new ValidationError('name exactly one of userId or groupId', [{ path: 'userId', message: 'name exactly one of userId or groupId' }]);
    }
    if (input.maxRows !== null && input.maxRows !== undefined && (input.maxRows < 1 || input.maxRows > 100_000)) {
      throw new ValidationError('maxRows: must be 1 to 100000', [{ path: 'maxRows', message: 'must be 1 to 100000' }]);
    }
    return this.store.tenant(actor.orgId, async (em) => {
      if (!(await em.findOne(DatasourceEntity, { id: input.datasourceId }))) throw new NotFoundError('Datasource', input.datasourceId);
      if (input.userId && !(await em.findOne(UserEntity, { id: input.userId }))) throw new NotFoundError('User', input.userId);
      if (input.groupId && !(await em.findOne(UserGroupEntity, { id: input.groupId }))) throw new NotFoundError('UserGroup', input.groupId);
      const subject = input.userId ? { userId: input.userId } : { groupId: input.groupId! };
      let grant = await em.findOne(GrantEntity, { datasourceId: input.datasourceId, ...subject });
      const created = grant === null;
      grant ??= em.create(GrantEntity, { organizationId: actor.orgId, datasourceId: input.datasourceId, ...subject });
      em.assign(grant, {
        canRead: input.canRead ?? true,
        canWrite: input.canWrite ?? false,
        canDdl: input.canDdl ?? false,
        canBreakGlass: input.canBreakGlass ?? false,
        allowedSchemas: input.allowedSchemas ?? null,
        allowedTables: input.allowedTables ?? null,
        restrictedColumns: input.restrictedColumns ?? [],
        maxRows: input.maxRows ?? null,
        expiresAt: input.expiresAt ?? null,
      });
      await flushOrConflict(em, 'a grant for this datasource and subject already exists');
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: created ? 'GRANT_CREATED' : 'GRANT_UPDATED',
        targetType: 'Grant',
        targetId: grant.id,
        metadata: { ...input, expiresAt: input.expiresAt?.toISOString() ?? null },
      });
      return grant;
    });
  }

  async delete(actor: Actor, origin: Origin, id: string): Promise<string> {
    return this.store.tenant(actor.orgId, async (em) => {
      const grant = await em.findOne(GrantEntity, { id });
      if (!grant) throw new NotFoundError('Grant', id);
      em.remove(grant);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'GRANT_DELETED',
        targetType: 'Grant',
        targetId: id,
        metadata: { datasourceId: grant.datasourceId, userId: grant.userId ?? null, groupId: grant.groupId ?? null },
      });
      return id;
    });
  }

  /** The union of the live grants of `userId` and their groups on `datasource`, inside the caller's transaction. */
  async effectiveAccess(em: EntityManager, userId: string, groupIds: readonly string[], datasource: Pick<Datasource, 'id' | 'dbType'>): Promise<EffectiveAccess> {
    const datasourceId = datasource.id;
    const nameRule = nameRuleOf(datasource.dbType);
    const grants = await em.find(GrantEntity, {
      datasourceId,
      $or: [{ userId }, ...(groupIds.length ? [{ groupId: { $in: [...groupIds] } }] : [])],
    });
    const standing = combineGrants(grants, nameRule);
    const limits = { restrictedColumns: [...standing.restrictedColumns], maxRows: standing.maxRows };
    return combineGrants([...grants, ...(await activeAccessGrants(em, userId, datasourceId, limits))], nameRule);
  }
}

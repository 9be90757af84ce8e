/** User groups (FEATURES A6): reviewers and grant subjects; upsert by name within the organization. */
import { NotFoundError, ValidationError } from '../../errors.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import { flushOrConflict } from '../../store/store.ts';
import { auditOriginOf } from '../audit/audit.service.ts';
import { AuditedService } from '../audit/audited-service.ts';
import { UserEntity } from '../identity/user.entity.ts';
import { GroupMembershipEntity, UserGroupEntity, type UserGroup } from './user-group.entity.ts';

export interface UpsertUserGroupInput {
  name: string;
  description?: string | null;
  /** The complete member list; omitted → members unchanged. */
  memberIds?: string[] | null;
}

export class GroupService extends AuditedService {
  /** Several by id in one transaction (missing ones are left out). */
  async getMany(actor: Actor, ids: readonly string[]): Promise<UserGroup[]> {
    return this.store.tenant(actor.orgId, (em) => em.find(UserGroupEntity, { id: { $in: [...ids] } }));
  }

  async get(actor: Actor, id: string): Promise<UserGroup | null> {
    return this.store.tenant(actor.orgId, (em) => em.findOne(UserGroupEntity, { id }));
  }

  /** By its natural key (Terraform data sources look groups up by name). */
  async getByName(actor: Actor, name: string): Promise<UserGroup | null> {
    return this.store.tenant(actor.orgId, (em) => em.findOne(UserGroupEntity, { name: name.trim() }));
  }

  async list(actor: Actor, offset: number, limit: number): Promise<UserGroup[]> {
    return this.store.tenant(actor.orgId, (em) =>
      em.find(UserGroupEntity, {}, { orderBy: { name: 'asc', id: 'asc' }, offset, limit }),
    );
  }

  async memberIds(orgId: string, groupIds: readonly string[]): Promise<string[][]> {
    const rows = await this.store.tenant(orgId, (em) =>
      em.find(GroupMembershipEntity, { groupId: { $in: [...groupIds] } }, { orderBy: { createdAt: 'asc' } }),
    );
    return groupIds.map((id) => rows.filter((row) => row.groupId === id).map((row) => row.userId));
  }

  /** Creates the group or, when one with this name exists, makes it match the input (authoritative). */
  async upsert(actor: Actor, origin: Origin, input: UpsertUserGroupInput): Promise<UserGroup> {
    return this.store.tenant(actor.orgId, async (em) => {
      let group = await em.findOne(UserGroupEntity, { name: input.name });
      const created = group === null;
      group ??= em.create(UserGroupEntity, { organizationId: actor.orgId, name: input.name });
      if (input.description !== undefined) group.description = input.description;
      let membership: { added: string[]; removed: string[] } | undefined;
      if (input.memberIds) {
        const wanted = [...new Set(input.memberIds)];
        const found = await em.find(UserEntity, { id: { $in: wanted } }, { fields: ['id'] });
        const unknown = wanted.filter((id) => !found.some((user) => user.id === id));
        if (unknown.length > 0) {
          throw new ValidationError(`memberIds: unknown users ${unknown.join(', ')}`, [{ path: 'memberIds', message: `unknown users ${unknown.join(', ')}` }]);
        }
        const current = created ? [] : await em.find(GroupMembershipEntity, { groupId: group.id });
        membership = {
          added: wanted.filter((id) => !current.some((m) => m.userId === id)),
          removed: current.filter((m) => !wanted.includes(m.userId)).map((m) => m.userId),
        };
        for (const m of current) if (membership.removed.includes(m.userId)) em.remove(m);
        for (const userId of membership.added) {
          em.create(GroupMembershipEntity, { organizationId: actor.orgId, groupId: group.id, userId, source: 'MANUAL' });
        }
      }
      await flushOrConflict(em, `a group named "${input.name}" already exists`);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: created ? 'USER_GROUP_CREATED' : 'USER_GROUP_UPDATED',
        targetType: 'UserGroup',
        targetId: group.id,
        metadata: { name: group.name, ...(membership ?? {}) },
      });
      return group;
    });
  }

  async delete(actor: Actor, origin: Origin, id: string): Promise<string> {
    return this.store.tenant(actor.orgId, async (em) => {
      const group = await em.findOne(UserGroupEntity, { id });
      if (!group) throw new NotFoundError('UserGroup', id);
      await em.nativeDelete(GroupMembershipEntity, { groupId: id });
      em.remove(group);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'USER_GROUP_DELETED',
        targetType: 'UserGroup',
        targetId: id,
        metadata: { name: group.name },
      });
      return id;
    });
  }
}

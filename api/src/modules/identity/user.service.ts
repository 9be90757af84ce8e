/** People and service accounts of one organization (FEATURES A2, A3, A5). */
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import { flushOrConflict, type EntityManager } from '../../store/store.ts';
import { auditOriginOf } from '../audit/audit.service.ts';
import { AuditedService } from '../audit/audited-service.ts';
import { OrganizationEntity } from '../orgs/organization.entity.ts';
import { assertWithinQuota } from '../orgs/quota.ts';
import { ApiKeyEntity } from './api-key.entity.ts';
import { hashPassword } from './credentials.ts';
import type { Role } from './permissions.ts';
import { SessionEntity } from './session.entity.ts';
import { UserEntity, type User, type UserKind } from './user.entity.ts';

export interface CreateUserInput {
  email: string;
  password: string;
  displayName: string;
  role: Role;
  attributes?: Record<string, string> | null;
}

export interface UpdateUserInput {
  id: string;
  displayName?: string | null;
  role?: Role | null;
  attributes?: Record<string, string> | null;
}

export interface UserFilter {
  kind?: UserKind | null;
  includeInactive?: boolean | null;
}

/** Service accounts sign in only with API keys; this domain keeps their synthetic e-mail unroutable. */
const SERVICE_ACCOUNT_EMAIL_DOMAIN = 'service-accounts.accessflow.invalid';

export class UserService extends AuditedService {
  async get(orgId: string, id: string): Promise<User | null> {
    return this.store.tenant(orgId, (em) => em.findOne(UserEntity, { id }));
  }

  async list(actor: Actor, filter: UserFilter, offset: number, limit: number): Promise<User[]> {
    return this.store.tenant(actor.orgId, (em) =>
      em.find(
        UserEntity,
        { ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.includeInactive ? {} : { active: true }) },
        { orderBy: { createdAt: 'asc', id: 'asc' }, offset, limit },
      ),
    );
  }

  async create(actor: Actor, origin: Origin, input: CreateUserInput): Promise<User> {
    const passwordHash = await hashPassword(input.password);
    return this.store.tenant(actor.orgId, async (em) => {
      const email = input.email.trim().toLowerCase();
      await this.assertUserQuota(em, actor.orgId);
      const user = em.create(UserEntity, {
        organizationId: actor.orgId,
        kind: 'HUMAN',
        email,
        displayName: input.displayName,
        passwordHash,
        role: input.role,
        attributes: input.attributes ?? {},
      });
      // E-mail is unique across the instance, so the clash may be with a user this org cannot see.
      await flushOrConflict(em, `a user with e-mail ${email} already exists`);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'USER_CREATED',
        targetType: 'User',
        targetId: user.id,
        metadata: { email, role: input.role },
      });
      return user;
    });
  }

  async createServiceAccount(actor: Actor, origin: Origin, input: { name: string; role: Role }): Promise<User> {
    return this.store.tenant(actor.orgId, async (em) => {
      const taken = await em.count(UserEntity, { kind: 'SERVICE_ACCOUNT', displayName: input.name });
      if (taken > 0) throw new ConflictError(`a service account named "${input.name}" already exists`);
      await this.assertUserQuota(em, actor.orgId);
      const user = em.create(UserEntity, {
        organizationId: actor.orgId,
        kind: 'SERVICE_ACCOUNT',
        email: `${randomUUID()}@${SERVICE_ACCOUNT_EMAIL_DOMAIN}`,
        displayName: input.name,
        passwordHash: null,
        role: input.role,
      });
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'SERVICE_ACCOUNT_CREATED',
        targetType: 'User',
        targetId: user.id,
        metadata: { name: input.name, role: input.role },
      });
      return user;
    });
  }

  /** An active service account of the organization, or null (deleted ones are deactivated users). */
  /** Several active service accounts by id in one transaction (missing ones are left out). */
  async getServiceAccounts(actor: Actor, ids: readonly string[]): Promise<User[]> {
    return this.store.tenant(actor.orgId, (em) => em.find(UserEntity, { id: { $in: [...ids] }, kind: 'SERVICE_ACCOUNT', active: true }));
  }

  async getServiceAccountByName(actor: Actor, name: string): Promise<User | null> {
    return this.store.tenant(actor.orgId, (em) => em.findOne(UserEntity, { displayName: name.trim(), kind: 'SERVICE_ACCOUNT', active: true }));
  }

  /**
   * Declarative, by name: creates the service account, or gives the one with this name the role — reactivating
   * it when it was deleted, so delete-then-create with the same name works and keeps one identity in the audit log.
   */
  async upsertServiceAccount(actor: Actor, origin: Origin, input: { name: string; role: Role }): Promise<User> {
    return this.store.tenant(actor.orgId, async (em) => {
      const name = input.name.trim();
      const existing = await em.findOne(UserEntity, { kind: 'SERVICE_ACCOUNT', displayName: name }, { orderBy: { active: 'desc', createdAt: 'asc' } });
      if (!existing || !existing.active) await this.assertUserQuota(em, actor.orgId);
      const user =
        existing ??
        em.create(UserEntity, {
          organizationId: actor.orgId,
          kind: 'SERVICE_ACCOUNT',
          email: `${randomUUID()}@${SERVICE_ACCOUNT_EMAIL_DOMAIN}`,
          displayName: name,
          passwordHash: null,
          role: input.role,
        });
      const metadata: Record<string, unknown> = { name, role: input.role };
      if (existing && existing.role !== input.role) metadata['previousRole'] = existing.role;
      if (existing && !existing.active) metadata['reactivated'] = true;
      em.assign(user, { role: input.role, active: true, deactivatedAt: null });
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: existing ? 'SERVICE_ACCOUNT_UPDATED' : 'SERVICE_ACCOUNT_CREATED',
        targetType: 'User',
        targetId: user.id,
        metadata,
      });
      return user;
    });
  }

  /** Deactivates the service account (its API keys stop working); users are never erased from the audit trail. */
  async deleteServiceAccount(actor: Actor, origin: Origin, id: string): Promise<string> {
    return this.store.tenant(actor.orgId, async (em) => {
      const user = await em.findOne(UserEntity, { id, kind: 'SERVICE_ACCOUNT', active: true });
      if (!user) throw new NotFoundError('ServiceAccount', id);
      if (user.id === actor.userId) throw new ConflictError('a service account cannot delete itself');
      user.active = false;
      user.deactivatedAt = new Date();
      // A later upsert with the same name reactivates the account: it must not bring old keys back.
      const revoked = await em.nativeUpdate(ApiKeyEntity, { userId: id, revokedAt: null }, { revokedAt: new Date() });
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'SERVICE_ACCOUNT_DELETED',
        targetType: 'User',
        targetId: id,
        metadata: { name: user.displayName, revokedApiKeys: revoked },
      });
      return id;
    });
  }

  async update(actor: Actor, origin: Origin, input: UpdateUserInput): Promise<User> {
    return this.store.tenant(actor.orgId, async (em) => {
      const user = await this.mustFind(em, input.id);
      const changes: Record<string, unknown> = {};
      if (input.role && input.role !== user.role) {
        if (user.id === actor.userId) throw new ConflictError('you cannot change your own role');
        changes['role'] = { from: user.role, to: input.role };
        user.role = input.role;
      }
      if (input.displayName && input.displayName !== user.displayName) {
        changes['displayName'] = input.displayName;
        user.displayName = input.displayName;
      }
      if (input.attributes) {
        changes['attributeKeys'] = Object.keys(input.attributes).sort();
        user.attributes = input.attributes;
      }
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'USER_UPDATED',
        targetType: 'User',
        targetId: user.id,
        metadata: changes,
      });
      return user;
    });
  }

  /** Deactivated users keep their history but can no longer sign in; their sessions end now. */
  async setActive(actor: Actor, origin: Origin, id: string, active: boolean): Promise<User> {
    return this.store.tenant(actor.orgId, async (em) => {
      const user = await this.mustFind(em, id);
      if (user.id === actor.userId) throw new ConflictError('you cannot deactivate or reactivate yourself');
      if (user.active === active) return user;
      if (active) await this.assertUserQuota(em, actor.orgId);
      user.active = active;
      user.deactivatedAt = active ? null : new Date();
      if (!active) await em.nativeUpdate(SessionEntity, { userId: user.id, revokedAt: null }, { revokedAt: new Date() });
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: active ? 'USER_REACTIVATED' : 'USER_DEACTIVATED',
        targetType: 'User',
        targetId: user.id,
      });
      return user;
    });
  }

  async mustFind(em: EntityManager, id: string): Promise<User> {
    const user = await em.findOne(UserEntity, { id });
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  private async assertUserQuota(em: EntityManager, orgId: string): Promise<void> {
    const org = await em.findOneOrFail(OrganizationEntity, { id: orgId });
    assertWithinQuota('maxUsers', org.maxUsers, await em.count(UserEntity, { active: true }));
  }
}

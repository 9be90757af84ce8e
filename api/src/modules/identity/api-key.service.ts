/** API keys (FEATURES A5): anyone may mint and revoke their own; USERS_MANAGE may do so for anyone in the org. */
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import type { Store } from '../../store/store.ts';
import { auditOriginOf, type AuditService } from '../audit/audit.service.ts';
import { AuditedService } from '../audit/audited-service.ts';
import { ApiKeyEntity, type ApiKey } from './api-key.entity.ts';
import { newApiKey } from './credentials.ts';
import { roleHas } from './permissions.ts';
import type { UserService } from './user.service.ts';

export interface CreateApiKeyInput {
  name: string;
  userId?: string | null;
  expiresAt?: Date | null;
}

export class ApiKeyService extends AuditedService {
  private readonly users: UserService;

  constructor(store: Store, audit: AuditService, users: UserService) {
    super(store, audit);
    this.users = users;
  }

  /** Returns the raw key once; only its hash is kept. */
  async create(actor: Actor, origin: Origin, input: CreateApiKeyInput): Promise<{ secret: string; apiKey: ApiKey }> {
    const userId = input.userId ?? actor.userId;
    this.assertMayManage(actor, userId);
    if (input.expiresAt && input.expiresAt <= new Date()) {
      throw new ValidationError('expiresAt: must be in the future', [{ path: 'expiresAt', message: 'must be in the future' }]);
    }
    return this.store.tenant(actor.orgId, async (em) => {
      const owner = await this.users.mustFind(em, userId);
      if (!owner.active) throw new ValidationError('userId: the user is deactivated', [{ path: 'userId', message: 'the user is deactivated' }]);
      const key = newApiKey();
      const apiKey = em.create(ApiKeyEntity, {
        organizationId: actor.orgId,
        userId,
        name: input.name,
        prefix: key.prefix,
        keyHash: key.hash,
        expiresAt: input.expiresAt ?? null,
        createdById: actor.userId,
      });
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'API_KEY_CREATED',
        targetType: 'ApiKey',
        targetId: apiKey.id,
        metadata: { userId, name: input.name, prefix: key.prefix, expiresAt: input.expiresAt?.toISOString() ?? null },
      });
      return { secret: key.secret, apiKey };
    });
  }

  /** Idempotent: revoking a revoked key returns it unchanged and writes nothing. */
  async revoke(actor: Actor, origin: Origin, id: string): Promise<ApiKey> {
    return this.store.tenant(actor.orgId, async (em) => {
      const apiKey = await em.findOne(ApiKeyEntity, { id });
      if (!apiKey) throw new NotFoundError('ApiKey', id);
      this.assertMayManage(actor, apiKey.userId);
      if (apiKey.revokedAt) return apiKey;
      apiKey.revokedAt = new Date();
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'API_KEY_REVOKED',
        targetType: 'ApiKey',
        targetId: apiKey.id,
        metadata: { userId: apiKey.userId, prefix: apiKey.prefix },
      });
      return apiKey;
    });
  }

  /** The caller's own keys, or any user's (or everyone's) for USERS_MANAGE. */
  async list(actor: Actor, userId: string | null, offset: number, limit: number): Promise<ApiKey[]> {
    const owner = userId ?? (roleHas(actor.role, 'USERS_MANAGE') ? null : actor.userId);
    if (owner !== null) this.assertMayManage(actor, owner);
    return this.store.tenant(actor.orgId, (em) =>
      em.find(ApiKeyEntity, owner ? { userId: owner } : {}, { orderBy: { createdAt: 'asc', id: 'asc' }, offset, limit }),
    );
  }

  private assertMayManage(actor: Actor, userId: string): void {
    if (userId !== actor.userId && !roleHas(actor.role, 'USERS_MANAGE')) {
      throw new ForbiddenError("only an admin may manage another user's API keys");
    }
  }
}

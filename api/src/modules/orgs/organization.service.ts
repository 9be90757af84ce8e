/**
 * Organizations (FEATURES A1, A7): first-run setup guarded by a one-time token, the caller's own organization,
 * and the platform-admin plane (create, rename, quotas, disable) that works across organizations.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import { flushOrConflict, type EntityManager, type Store } from '../../store/store.ts';
import { auditOriginOf, type AuditService } from '../audit/audit.service.ts';
import { AuditedService } from '../audit/audited-service.ts';
import type { AuthService, SessionTokens } from '../identity/auth.service.ts';
import { hashPassword } from '../identity/credentials.ts';
import { UserEntity, type User } from '../identity/user.entity.ts';
import { OrganizationEntity, type Organization } from './organization.entity.ts';

export interface FirstAdminInput {
  email: string;
  password: string;
  displayName: string;
}

export interface SetupInput extends FirstAdminInput {
  setupToken: string;
  organizationName: string;
}

export interface Quotas {
  maxDatasources?: number | null;
  maxUsers?: number | null;
  maxQueriesPerDay?: number | null;
}

export interface CreateOrganizationInput extends Quotas {
  name: string;
  admin: FirstAdminInput;
}

export interface UpdateOrganizationInput extends Quotas {
  id: string;
  name?: string | null;
  disabled?: boolean | null;
}

export class OrganizationService extends AuditedService {
  /** The one-time setup token while no organization exists; null afterwards. */
  private setupToken: string | null = null;
  private readonly auth: AuthService;

  constructor(store: Store, audit: AuditService, auth: AuthService) {
    super(store, audit);
    this.auth = auth;
  }

  /** On an empty store, arms first-run setup and returns the token to print; null when setup is done. */
  async armSetup(configuredToken: string | undefined): Promise<string | null> {
    const orgs = await this.store.system((em) => em.count(OrganizationEntity, {}));
    this.setupToken = orgs === 0 ? (configuredToken ?? randomBytes(24).toString('base64url')) : null;
    return this.setupToken;
  }

  get setupRequired(): boolean {
    return this.setupToken !== null;
  }

  async setup(input: SetupInput, origin: Origin): Promise<{ tokens: SessionTokens; user: User }> {
    if (this.setupToken === null) throw new ConflictError('this instance is already set up');
    if (!sameSecret(input.setupToken, this.setupToken)) {
      throw new ForbiddenError('setup token does not match the one this server printed at start');
    }
    const result = await this.store.system(async (em) => {
      // Two concurrent setups: the second waits here, then sees the first one's organization.
      await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', ['accessflow:setup']);
      if ((await em.count(OrganizationEntity, {})) > 0) throw new ConflictError('this instance is already set up');
      const { org, admin } = await this.createWithAdmin(em, { name: input.organizationName, admin: input }, null, origin, true);
      const tokens = await this.auth.startSession(em, admin, origin);
      return { tokens, user: admin, orgId: org.id };
    });
    this.setupToken = null;
    return { tokens: result.tokens, user: result.user };
  }

  /** An organization as seen from inside it (its own members, and sign-in responses). */
  async own(orgId: string): Promise<Organization> {
    return this.store.tenant(orgId, (em) => em.findOneOrFail(OrganizationEntity, { id: orgId }));
  }

  async get(id: string): Promise<Organization | null> {
    return this.store.system((em) => em.findOne(OrganizationEntity, { id }));
  }

  async list(offset: number, limit: number): Promise<Organization[]> {
    return this.store.system((em) => em.find(OrganizationEntity, {}, { orderBy: { createdAt: 'asc', id: 'asc' }, offset, limit }));
  }

  async create(actor: Actor, origin: Origin, input: CreateOrganizationInput): Promise<Organization> {
    return this.store.system(async (em) => (await this.createWithAdmin(em, input, actor, origin, false)).org);
  }

  async update(actor: Actor, origin: Origin, input: UpdateOrganizationInput): Promise<Organization> {
    return this.store.system(async (em) => {
      const org = await em.findOne(OrganizationEntity, { id: input.id });
      if (!org) throw new NotFoundError('Organization', input.id);
      if (input.disabled && org.id === actor.orgId) {
        throw new ConflictError('you cannot disable your own organization: ask another platform admin');
      }
      const changes: Record<string, unknown> = {};
      const assign = <K extends 'name' | 'disabled' | 'maxDatasources' | 'maxUsers' | 'maxQueriesPerDay'>(key: K, value: Organization[K] | null | undefined) => {
        if (value === null || value === undefined || value === org[key]) return;
        changes[key] = { from: org[key], to: value };
        org[key] = value;
      };
      assign('name', input.name);
      assign('disabled', input.disabled);
      assign('maxDatasources', input.maxDatasources);
      assign('maxUsers', input.maxUsers);
      assign('maxQueriesPerDay', input.maxQueriesPerDay);
      await flushOrConflict(em, `an organization named "${input.name}" already exists`);
      const action = 'disabled' in changes ? (org.disabled ? 'ORGANIZATION_DISABLED' : 'ORGANIZATION_ENABLED') : 'ORGANIZATION_UPDATED';
      await this.audit.append(em, org.id, auditOriginOf(actor, origin), {
        action,
        targetType: 'Organization',
        targetId: org.id,
        metadata: { ...changes, byOrganizationId: actor.orgId },
      });
      return org;
    });
  }

  private async createWithAdmin(
    em: EntityManager,
    input: CreateOrganizationInput,
    actor: Actor | null,
    origin: Origin,
    platformAdmin: boolean,
  ): Promise<{ org: Organization; admin: User }> {
    const passwordHash = await hashPassword(input.admin.password);
    const org = em.create(OrganizationEntity, {
      name: input.name,
      maxDatasources: input.maxDatasources ?? 0,
      maxUsers: input.maxUsers ?? 0,
      maxQueriesPerDay: input.maxQueriesPerDay ?? 0,
    });
    const admin = em.create(UserEntity, {
      organizationId: org.id,
      kind: 'HUMAN',
      email: input.admin.email.trim().toLowerCase(),
      displayName: input.admin.displayName,
      passwordHash,
      role: 'ADMIN',
      platformAdmin,
    });
    await flushOrConflict(em, `an organization named "${input.name}" or a user with e-mail ${admin.email} already exists`);
    const by = auditOriginOf(actor ?? { userId: admin.id, kind: 'HUMAN' }, origin);
    await this.audit.append(em, org.id, by, {
      action: 'ORGANIZATION_CREATED',
      targetType: 'Organization',
      targetId: org.id,
      metadata: { name: org.name, ...(actor ? { byOrganizationId: actor.orgId } : { firstRun: true }) },
    });
    await this.audit.append(em, org.id, by, {
      action: 'USER_CREATED',
      targetType: 'User',
      targetId: admin.id,
      metadata: { email: admin.email, role: admin.role, platformAdmin },
    });
    return { org, admin };
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

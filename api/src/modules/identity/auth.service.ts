/**
 * Sign-in and request authentication (FEATURES A4 local passwords, A5 API keys). Credential lookups are the
 * one place that reads across organizations (by token hash or e-mail), through Store.system; everything the
 * caller then does runs scoped to their organization.
 */
import type { Config } from '../../config.ts';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '../../errors.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import type { EntityManager, Store } from '../../store/store.ts';
import { auditOriginOf, type AuditService } from '../audit/audit.service.ts';
import { AuditedService } from '../audit/audited-service.ts';
import {
  API_KEY_PREFIX,
  DUMMY_PASSWORD_HASH,
  newRefreshToken,
  sha256Hex,
  signAccessToken,
  verifyAccessToken,
  verifyPassword,
} from './credentials.ts';
import type { Role } from './permissions.ts';
import { LoginThrottle } from './login-throttle.ts';
import { SessionEntity } from './session.entity.ts';
import { UserEntity, type User, type UserKind } from './user.entity.ts';

export interface SessionTokens {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  userId: string;
  orgId: string;
}

interface PrincipalRow {
  user_id: string;
  org_id: string;
  email: string;
  role: Role;
  kind: UserKind;
  platform_admin: boolean;
  active: boolean;
  org_disabled: boolean;
  config_version: string;
}

const PRINCIPAL_COLUMNS = `u.id as user_id, u.organization_id as org_id, u.email, u.role, u.kind, u.platform_admin,
  u.active, o.disabled as org_disabled, o.config_version::text as config_version`;

/** API keys note their last use at most once a minute, so authentication stays read-mostly. */
const LAST_USED_RESOLUTION_MS = 60_000;

export class AuthService extends AuditedService {
  private readonly signingKey: Buffer;
  private readonly config: Pick<Config, 'accessTokenTtlSeconds' | 'refreshTokenTtlSeconds'>;
  private readonly throttle = new LoginThrottle();

  constructor(store: Store, audit: AuditService, signingKey: Buffer, config: Pick<Config, 'accessTokenTtlSeconds' | 'refreshTokenTtlSeconds'>) {
    super(store, audit);
    this.signingKey = signingKey;
    this.config = config;
  }

  /** Resolves an Authorization header to an actor; null when there is none. Fails closed on anything else. */
  async authenticate(authorization: string | null): Promise<Actor | null> {
    if (!authorization) return null;
    const match = /^(Bearer|ApiKey)\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw new UnauthenticatedError('malformed Authorization header: use "Bearer <token or API key>"');
    const credential = match[2]!;
    return credential.startsWith(API_KEY_PREFIX) ? this.authenticateApiKey(credential) : this.authenticateAccessToken(credential);
  }

  private async authenticateApiKey(secret: string): Promise<Actor> {
    const [row] = await this.store.systemRead<PrincipalRow & { key_id: string; expires_at: Date | string | null; revoked_at: Date | string | null; last_used_at: Date | string | null }>(
      `select k.id as key_id, k.expires_at, k.revoked_at, k.last_used_at, ${PRINCIPAL_COLUMNS}
         from api_keys k join users u on u.id = k.user_id join organizations o on o.id = k.organization_id
        where k.key_hash = $1`,
      [sha256Hex(secret)],
    );
    if (!row) throw new UnauthenticatedError('API key not recognised');
    if (row.revoked_at) throw new UnauthenticatedError('API key has been revoked');
    if (row.expires_at && new Date(row.expires_at) <= new Date()) throw new UnauthenticatedError('API key has expired');
    const actor = principal(row, 'API_KEY', null, row.key_id);
    if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > LAST_USED_RESOLUTION_MS) {
      await this.store.system((em) => em.execute('update api_keys set last_used_at = now() where id = ?', [row.key_id]));
    }
    return actor;
  }

  private async authenticateAccessToken(token: string): Promise<Actor> {
    const claims = await verifyAccessToken(this.signingKey, token);
    if (claims === 'EXPIRED') throw new UnauthenticatedError('access token has expired: call refreshSession');
    if (claims === 'INVALID') throw new UnauthenticatedError('access token is not valid');
    const [row] = await this.store.systemRead<PrincipalRow & { revoked_at: Date | string | null; expires_at: Date | string }>(
      `select s.revoked_at, s.expires_at, ${PRINCIPAL_COLUMNS}
         from sessions s join users u on u.id = s.user_id join organizations o on o.id = s.organization_id
        where s.id = $1::uuid and s.user_id = $2::uuid`,
      [claims.sessionId, claims.userId],
    );
    if (!row || row.revoked_at || new Date(row.expires_at) <= new Date()) {
      throw new UnauthenticatedError('session has ended: sign in again');
    }
    return principal(row, 'SESSION', claims.sessionId, null);
  }

  async login(email: string, password: string, origin: Origin): Promise<SessionTokens> {
    const normalized = email.trim().toLowerCase();
    await this.throttle.assertAllowed(normalized, origin.ipAddress);
    const user = await this.store.system((em) => em.findOne(UserEntity, { email: normalized, kind: 'HUMAN' }));
    const valid = await verifyPassword(user?.passwordHash ?? DUMMY_PASSWORD_HASH, password);
    if (!user || !user.passwordHash || !valid) {
      await this.throttle.failed(normalized, origin.ipAddress);
      if (user) {
        await this.store.tenant(user.organizationId, (em) =>
          this.audit.append(em, user.organizationId, auditOriginOf(null, origin), {
            action: 'USER_LOGIN_FAILED',
            targetType: 'User',
            targetId: user.id,
          }),
        );
      }
      throw new UnauthenticatedError('invalid e-mail or password');
    }
    if (!user.active) throw new ForbiddenError('this account is deactivated');
    await this.assertOrgEnabled(user.organizationId);
    await this.throttle.succeeded(normalized);
    return this.store.tenant(user.organizationId, (em) => this.startSession(em, user, origin));
  }

  /** Opens a session for `user` inside the caller's transaction (sign-in and first-run setup). */
  async startSession(em: EntityManager, user: Pick<User, 'id' | 'organizationId' | 'kind'>, origin: Origin): Promise<SessionTokens> {
    const refresh = newRefreshToken();
    const session = em.create(SessionEntity, {
      organizationId: user.organizationId,
      userId: user.id,
      refreshTokenHash: refresh.hash,
      expiresAt: new Date(Date.now() + this.config.refreshTokenTtlSeconds * 1000),
    });
    await this.audit.append(em, user.organizationId, auditOriginOf({ userId: user.id, kind: user.kind }, origin), {
      action: 'USER_LOGIN',
      targetType: 'Session',
      targetId: session.id,
    });
    return this.tokensFor(session, refresh.token, user.id);
  }

  async refreshSession(refreshToken: string, origin: Origin): Promise<SessionTokens> {
    const presentedHash = sha256Hex(refreshToken);
    const [row] = await this.store.system((em) =>
      em.execute<(PrincipalRow & { session_id: string; revoked_at: string | null; expires_at: string })[]>(
        `select s.id as session_id, s.revoked_at, s.expires_at, ${PRINCIPAL_COLUMNS}
           from sessions s join users u on u.id = s.user_id join organizations o on o.id = s.organization_id
          where s.refresh_token_hash = ?`,
        [presentedHash],
      ),
    );
    if (!row || row.revoked_at || new Date(row.expires_at) <= new Date()) {
      throw new UnauthenticatedError('refresh token is not valid: sign in again');
    }
    const actor = principal(row, 'SESSION', row.session_id, null);
    return this.store.tenant(actor.orgId, async (em) => {
      const refresh = newRefreshToken();
      // Compare-and-swap on the presented hash: of two concurrent refreshes with one token, one wins.
      const updated = await em.nativeUpdate(
        SessionEntity,
        { id: row.session_id, refreshTokenHash: presentedHash, revokedAt: null },
        { refreshTokenHash: refresh.hash },
      );
      if (updated !== 1) throw new UnauthenticatedError('refresh token is not valid: sign in again');
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'SESSION_REFRESHED',
        targetType: 'Session',
        targetId: row.session_id,
      });
      const session = await em.findOneOrFail(SessionEntity, { id: row.session_id });
      return this.tokensFor(session, refresh.token, actor.userId);
    });
  }

  async logout(actor: Actor, origin: Origin): Promise<boolean> {
    if (actor.sessionId === null) throw new ValidationError('API keys do not sign in: revoke the key with revokeApiKey');
    const sessionId = actor.sessionId;
    return this.store.tenant(actor.orgId, async (em) => {
      await em.nativeUpdate(SessionEntity, { id: sessionId }, { revokedAt: new Date() });
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'USER_LOGOUT',
        targetType: 'Session',
        targetId: sessionId,
      });
      return true;
    });
  }

  private async assertOrgEnabled(orgId: string): Promise<void> {
    const [org] = await this.store.system((em) =>
      em.execute<{ disabled: boolean }[]>('select disabled from organizations where id = ?', [orgId]),
    );
    if (!org || org.disabled) throw new ForbiddenError('this organization is disabled');
  }

  private async tokensFor(session: { id: string; organizationId: string; expiresAt: Date }, refreshToken: string, userId: string): Promise<SessionTokens> {
    const access = await signAccessToken(
      this.signingKey,
      { userId, orgId: session.organizationId, sessionId: session.id },
      this.config.accessTokenTtlSeconds,
    );
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken,
      refreshTokenExpiresAt: session.expiresAt,
      userId,
      orgId: session.organizationId,
    };
  }
}

function principal(row: PrincipalRow, via: Actor['via'], sessionId: string | null, apiKeyId: string | null): Actor {
  if (!row.active) throw new UnauthenticatedError('this account is deactivated');
  if (row.org_disabled) throw new ForbiddenError('this organization is disabled');
  return {
    userId: row.user_id,
    orgId: row.org_id,
    email: row.email,
    role: row.role,
    kind: row.kind,
    platformAdmin: row.platform_admin,
    via,
    sessionId,
    apiKeyId,
    configVersion: Number(row.config_version),
  };
}

import type { Role } from '../modules/identity/permissions.ts';
import type { UserKind } from '../modules/identity/user.entity.ts';
import type { Services } from '../services.ts';

/** Who is calling, resolved once per request from a JWT access token or an API key. */
export interface Actor {
  userId: string;
  orgId: string;
  email: string;
  role: Role;
  kind: UserKind;
  platformAdmin: boolean;
  /** How the caller proved who they are; SCHEDULE for the server running a submitter's scheduled request. */
  via: 'SESSION' | 'API_KEY' | 'SCHEDULE';
  sessionId: string | null;
  apiKeyId: string | null;
  /**
   * The organization's configuration version when the caller was authenticated (read with their credentials, at
   * no extra cost); absent for actors the server makes itself. Lets a cached judgement be checked before it acts.
   */
  configVersion?: number;
}

/** Where a call came from, for the audit log and for CI-aware routing later. */
export interface Origin {
  ipAddress: string | null;
  userAgent: string | null;
  /** Set by the `X-AccessFlow-CI` header, and for every API-key call. */
  ci: boolean;
}

export interface RequestContext {
  actor: Actor | null;
  origin: Origin;
  services: Services;
}

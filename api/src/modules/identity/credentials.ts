/**
 * Credential material: password hashes (Argon2id), access tokens (HS256 JWT, jose), refresh tokens and
 * API keys (random, only their SHA-256 stored).
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';

export const API_KEY_PREFIX = 'af_';
const REFRESH_TOKEN_PREFIX = 'afr_';
const ISSUER = 'accessflow';
const AUDIENCE = 'accessflow-api';

export const hashPassword = (password: string) => hash(password);
export const verifyPassword = (passwordHash: string, password: string) => verify(passwordHash, password);

/** A hash to verify against when the user does not exist, so a miss costs as much time as a hit. */
export const DUMMY_PASSWORD_HASH = await hash(randomBytes(16).toString('hex'));

export const sha256Hex = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/** `af_` + 32 random bytes base64url: shown once; the store keeps the SHA-256 and a display prefix. */
export function newApiKey(): { secret: string; prefix: string; hash: string } {
  const secret = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { secret, prefix: secret.slice(0, 11), hash: sha256Hex(secret) };
}

export function newRefreshToken(): { token: string; hash: string } {
  const token = REFRESH_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: sha256Hex(token) };
}

export interface AccessClaims {
  userId: string;
  orgId: string;
  sessionId: string;
}

export async function signAccessToken(key: Buffer, claims: AccessClaims, ttlSeconds: number): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const token = await new SignJWT({ org: claims.orgId, sid: claims.sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key);
  return { token, expiresAt };
}

export type TokenProblem = 'EXPIRED' | 'INVALID';

export async function verifyAccessToken(key: Buffer, token: string): Promise<AccessClaims | TokenProblem> {
  try {
    const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    if (typeof payload.sub !== 'string' || typeof payload['org'] !== 'string' || typeof payload['sid'] !== 'string') {
      return 'INVALID';
    }
    return { userId: payload.sub, orgId: payload['org'], sessionId: payload['sid'] };
  } catch (error) {
    return error instanceof joseErrors.JWTExpired ? 'EXPIRED' : 'INVALID';
  }
}

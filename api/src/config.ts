/**
 * Every environment variable the server reads, parsed and validated here and nowhere else.
 * The README's table of variables mirrors this file.
 */
import { resolve } from 'node:path';
import { z } from 'zod';

const hexKey = z.string().regex(/^[0-9a-fA-F]{64,}$/, 'must be at least 32 bytes as hex (64+ hex characters)');
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const EnvSchema = z.object({
  PORT: optional(z.coerce.number().int().min(0).max(65535)).default(8080),
  HOST: optional(z.string()).default('0.0.0.0'),
  ACCESSFLOW_DATA_DIR: optional(z.string()).default('.accessflow'),
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')),
  DATABASE_POOL_SIZE: optional(z.coerce.number().int().min(1).max(200)).default(10),
  REDIS_URL: optional(z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')),
  ACCESSFLOW_SETUP_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
  ENCRYPTION_KEY: optional(hexKey.length(64, 'must be exactly 32 bytes as hex (64 hex characters)')),
  JWT_SIGNING_KEY: optional(hexKey),
  AUDIT_HMAC_KEY: optional(hexKey),
  ACCESS_TOKEN_TTL_SECONDS: optional(z.coerce.number().int().min(60).max(86_400)).default(900),
  REFRESH_TOKEN_TTL_SECONDS: optional(z.coerce.number().int().min(300).max(90 * 86_400)).default(7 * 86_400),
  MAX_BODY_BYTES: optional(z.coerce.number().int().min(1024)).default(1_048_576),
  GRAPHQL_MAX_DEPTH: optional(z.coerce.number().int().min(2)).default(12),
  GRAPHQL_MAX_ALIASES: optional(z.coerce.number().int().min(1)).default(30),
  GRAPHQL_MAX_COST: optional(z.coerce.number().int().min(100)).default(5000),
  GRAPHQL_MAX_TOKENS: optional(z.coerce.number().int().min(100)).default(5000),
  JOBS_INTERVAL_MS: optional(z.coerce.number().int().min(100).max(3_600_000)).default(5000),
  PUBLIC_URL: optional(z.url({ protocol: /^https?$/ })),
  SMTP_HOST: optional(z.string()),
  SMTP_PORT: optional(z.coerce.number().int().min(1).max(65535)).default(587),
  SMTP_USER: optional(z.string()),
  SMTP_PASSWORD: optional(z.string()),
  SMTP_FROM: optional(z.string()).default('AccessFlow <accessflow@localhost>'),
  NOTIFICATION_RETRY_DELAYS_MS: optional(z.string().regex(/^\d+(,\d+)*$/, 'must be comma-separated milliseconds')).default('30000,120000,600000'),
  NOTIFICATION_TIMEOUT_MS: optional(z.coerce.number().int().min(100).max(120_000)).default(10_000),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])).default('info'),
});

export interface Config {
  port: number;
  host: string;
  /** Folder of the embedded store and of generated key files. */
  dataDir: string;
  /** PostgreSQL URL of the store; absent → embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  redisUrl: string | undefined;
  setupToken: string | undefined;
  keys: { encryption: string | undefined; jwtSigning: string | undefined; auditHmac: string | undefined };
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  limits: { maxBodyBytes: number; maxDepth: number; maxAliases: number; maxCost: number; maxTokens: number };
  /** Longest wait between two sweeps for due work (scheduled runs, timeouts); a known due time is met exactly. */
  jobsIntervalMs: number;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** Base of the console links in notifications; undefined → the address the server listens on. */
  publicUrl: string | undefined;
  notifications: {
    /** The system SMTP server of EMAIL channels without their own; undefined host → none. */
    smtp: { host: string | undefined; port: number; user: string | undefined; password: string | undefined; from: string };
    /** Waits before each retry of a failed delivery; after the last one fails it is DEAD. */
    retryDelaysMs: number[];
    /** Longest wait for one delivery attempt. */
    timeoutMs: number;
  };
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    // Relative to where the user typed `npm start` (npm runs workspace scripts from the workspace folder).
    dataDir: resolve(env['INIT_CWD'] ?? process.cwd(), e.ACCESSFLOW_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    setupToken: e.ACCESSFLOW_SETUP_TOKEN,
    keys: { encryption: e.ENCRYPTION_KEY, jwtSigning: e.JWT_SIGNING_KEY, auditHmac: e.AUDIT_HMAC_KEY },
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    limits: {
      maxBodyBytes: e.MAX_BODY_BYTES,
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxCost: e.GRAPHQL_MAX_COST,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
    },
    jobsIntervalMs: e.JOBS_INTERVAL_MS,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    notifications: {
      smtp: { host: e.SMTP_HOST, port: e.SMTP_PORT, user: e.SMTP_USER, password: e.SMTP_PASSWORD, from: e.SMTP_FROM },
      retryDelaysMs: e.NOTIFICATION_RETRY_DELAYS_MS.split(',').map(Number),
      timeoutMs: e.NOTIFICATION_TIMEOUT_MS,
    },
  };
}

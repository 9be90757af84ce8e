/**
 * What each channel type's `config` map holds, validated with zod, and which of its keys are secret. A secret
 * key (a URL that carries a token, a password, a routing key) is stored encrypted and never read back.
 */
import { z } from 'zod';
import type { FieldIssue } from '../../errors.ts';
import type { ChannelType } from './notification-channel.entity.ts';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000);
/** A URL that is stored and shown as it is: credentials belong in the secret keys. */
const credentialFreeUrl = httpUrl.refine((value) => !new URL(value).username && !new URL(value).password, 'must not contain credentials');
const email = z.email({ error: 'must be an email address' });
const emailList = z
  .string()
  .max(2000)
  .refine((value) => value.split(',').every((part) => email.safeParse(part.trim()).success), 'must be comma-separated email addresses');
const port = z.string().regex(/^\d{1,5}$/, 'must be a port number').refine((value) => Number(value) >= 1 && Number(value) <= 65535, 'must be 1 to 65535');

const CONFIG_SCHEMAS = {
  EMAIL: z.strictObject({
    to: emailList,
    from: z.string().min(3).max(300).optional(),
    smtp_host: z.string().min(1).max(255).optional(),
    smtp_port: port.optional(),
    smtp_user: z.string().min(1).max(255).optional(),
    smtp_password: z.string().min(1).max(1000).optional(),
  }),
  SLACK: z.strictObject({ webhook_url: httpUrl }),
  DISCORD: z.strictObject({ webhook_url: httpUrl }),
  MS_TEAMS: z.strictObject({ webhook_url: httpUrl }),
  WEBHOOK: z.strictObject({ url: credentialFreeUrl, secret: z.string().min(16, 'must be at least 16 characters').max(1000) }),
  TELEGRAM: z.strictObject({
    bot_token: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'must be a Bot API token (<id>:<secret>)'),
    chat_id: z.string().regex(/^(-?\d+|@[A-Za-z0-9_]{5,})$/, 'must be a chat id or @channelusername'),
    /** Another Bot API server (e.g. a self-hosted one); default https://api.telegram.org. */
    api_url: credentialFreeUrl.optional(),
  }),
  PAGERDUTY: z.strictObject({
    routing_key: z.string().regex(/^[A-Za-z0-9]{32}$/, 'must be a 32-character integration key'),
    /** Another Events API host (e.g. https://events.eu.pagerduty.com); default https://events.pagerduty.com. */
    api_url: credentialFreeUrl.optional(),
  }),
} as const satisfies Record<ChannelType, z.ZodType>;

export const SECRET_KEYS: Readonly<Record<ChannelType, readonly string[]>> = {
  EMAIL: ['smtp_password'],
  SLACK: ['webhook_url'],
  DISCORD: ['webhook_url'],
  MS_TEAMS: ['webhook_url'],
  WEBHOOK: ['secret'],
  TELEGRAM: ['bot_token'],
  PAGERDUTY: ['routing_key'],
};

export type ChannelConfig = Record<string, string>;

/**
 * The non-secret `config` and the `secrets` of a channel, checked together for its type. An issue's path names
 * where the key belongs (`config.<key>` or `secrets.<key>`); a key in the wrong map is an issue of its own.
 */
export function configIssues(type: ChannelType, config: ChannelConfig, secrets: ChannelConfig): FieldIssue[] {
  const secret = SECRET_KEYS[type];
  const misplaced = [
    ...Object.keys(config).filter((key) => secret.includes(key)).map((key) => ({ path: `config.${key}`, message: 'is secret: set it in secrets' })),
    ...Object.keys(secrets).filter((key) => !secret.includes(key)).map((key) => ({ path: `secrets.${key}`, message: 'is not secret: set it in config' })),
  ];
  if (misplaced.length > 0) return misplaced;
  const parsed = CONFIG_SCHEMAS[type].safeParse({ ...config, ...secrets });
  if (parsed.success) return [];
  const keys = Object.keys(CONFIG_SCHEMAS[type].shape);
  // Messages name the key and the rule, never the value (a secret may be the value that failed).
  return parsed.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: `config.${key}`, message: `not a key of ${type} (keys: ${keys.join(', ')})` }));
    }
    const key = String(issue.path[0] ?? '');
    return [{ path: `${secret.includes(key) ? 'secrets' : 'config'}.${key}`, message: issue.code === 'invalid_type' ? 'is required' : issue.message }];
  });
}

/**
 * How a message reaches each channel type, in the wire format of the service it goes to. A sender throws a
 * DeliveryFailed with a message that names the status and the service's answer, never a secret (the URLs of
 * chat webhooks carry their tokens, so no sender message contains a URL).
 */
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { ChannelConfig } from './channel-config.ts';
import type { ChannelType } from './notification-channel.entity.ts';
import type { NotificationMessage } from './messages.ts';

export class DeliveryFailed extends Error {}

export interface SenderOptions {
  timeoutMs: number;
  /** The system SMTP server of EMAIL channels without their own. */
  smtp: { host: string | undefined; port: number; user: string | undefined; password: string | undefined; from: string };
}

export interface Delivery {
  /** Unique per delivery: webhook receivers use it to drop a repeated attempt. */
  id: string;
  message: NotificationMessage;
}

/** The whole config (secrets decrypted) of one channel and its type. */
export interface ChannelTarget {
  channelType: ChannelType;
  config: ChannelConfig;
}

export const SIGNATURE_HEADER = 'X-AccessFlow-Signature';
export const TIMESTAMP_HEADER = 'X-AccessFlow-Timestamp';

/** `sha256=<hex HMAC-SHA256 of the raw body with the channel secret>`. */
export function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export async function send(target: ChannelTarget, delivery: Delivery, options: SenderOptions): Promise<void> {
  const { config } = target;
  const { message } = delivery;
  switch (target.channelType) {
    case 'WEBHOOK': {
      const timestamp = Math.floor(Date.now() / 1000);
      const body = JSON.stringify({ id: delivery.id, timestamp, ...message });
      await post(config['url']!, body, options, {
        [SIGNATURE_HEADER]: signatureOf(config['secret']!, body),
        [TIMESTAMP_HEADER]: String(timestamp),
        'X-AccessFlow-Event': message.event,
        'X-AccessFlow-Delivery': delivery.id,
      });
      return;
    }
    case 'SLACK':
      // Incoming webhook: `text` is the notification fallback, the blocks are what the channel shows.
      await post(config['webhook_url']!, JSON.stringify({ text: message.title, blocks: slackBlocks(message) }), options);
      return;
    case 'DISCORD':
      // Execute webhook; a message's content is at most 2000 characters.
      await post(config['webhook_url']!, JSON.stringify({ content: truncate(plainText(message), 2000), allowed_mentions: { parse: [] } }), options);
      return;
    case 'MS_TEAMS':
      await post(config['webhook_url']!, JSON.stringify(teamsCard(message)), options);
      return;
    case 'TELEGRAM': {
      const base = (config['api_url'] ?? 'https://api.telegram.org').replace(/\/+$/, '');
      const answer = await post(`${base}/bot${config['bot_token']}/sendMessage`, JSON.stringify({ chat_id: config['chat_id'], text: truncate(plainText(message), 4096), link_preview_options: { is_disabled: true } }), options);
      // The Bot API answers {"ok": false, "description": …} on failure.
      if (!(answer as { ok?: unknown } | null)?.ok) throw new DeliveryFailed('Telegram did not confirm the message');
      return;
    }
    case 'PAGERDUTY': {
      const base = (config['api_url'] ?? 'https://events.pagerduty.com').replace(/\/+$/, '');
      await post(`${base}/v2/enqueue`, JSON.stringify(pagerDutyEvent(config['routing_key']!, message)), options);
      return;
    }
    case 'EMAIL':
      await sendMail(config, message, options);
      return;
  }
}

/** POSTs JSON; anything but a 2xx is a failure naming the status and the start of the answer. Returns the JSON answer, if any. */
async function post(url: string, body: string, options: SenderOptions, headers: Record<string, string> = {}): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'AccessFlow-Notifications', ...headers },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    if ((error as Error).name === 'TimeoutError') throw new DeliveryFailed(`no answer within ${options.timeoutMs} ms`);
    throw new DeliveryFailed(`could not connect${cause ? ` (${cause})` : ''}`);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) throw new DeliveryFailed(`HTTP ${response.status}${text ? `: ${truncate(text.replace(/\s+/g, ' '), 200)}` : ''}`);
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

async function sendMail(config: ChannelConfig, message: NotificationMessage, options: SenderOptions): Promise<void> {
  const own = config['smtp_host'] !== undefined;
  const host = own ? config['smtp_host'] : options.smtp.host;
  if (!host) throw new DeliveryFailed('no SMTP server: set smtp_host on the channel or SMTP_HOST on the server');
  const port = own ? Number(config['smtp_port'] ?? 587) : options.smtp.port;
  const user = own ? config['smtp_user'] : options.smtp.user;
  const password = own ? config['smtp_password'] : options.smtp.password;
  const transport = nodemailer.createTransport({
    host,
    port,
    secure: port === 465,
    ...(user ? { auth: { user, pass: password ?? '' } } : {}),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  try {
    await transport.sendMail({
      from: config['from'] ?? options.smtp.from,
      to: config['to']!.split(',').map((address) => address.trim()),
      subject: `[AccessFlow] ${message.title}`,
      text: plainText(message),
    });
  } catch (error) {
    const { responseCode, code } = error as { responseCode?: number; code?: string };
    throw new DeliveryFailed(`SMTP ${responseCode ?? code ?? 'error'}: ${truncate((error as Error).message, 200)}`);
  } finally {
    transport.close();
  }
}

function plainText(message: NotificationMessage): string {
  const details = Object.entries(message.details).map(([key, value]) => `${key}: ${value}`);
  return [message.title, message.text, ...details, ...(message.link ? [message.link] : [])].filter(Boolean).join('\n');
}

function slackBlocks(message: NotificationMessage): unknown[] {
  const details = Object.entries(message.details).map(([key, value]) => ({ type: 'mrkdwn', text: `*${key}*\n${slackEscape(String(value))}` }));
  return [
    { type: 'header', text: { type: 'plain_text', text: truncate(message.title, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(slackEscape(message.text), 3000) } },
    // A section holds at most 10 fields.
    ...(details.length ? [{ type: 'section', fields: details.slice(0, 10) }] : []),
    ...(message.link ? [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in AccessFlow' }, url: message.link }] }] : []),
  ];
}

/** Slack's mrkdwn control characters. */
function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A Teams "message" with one Adaptive Card: what Workflows webhooks (and the older connectors) accept. */
function teamsCard(message: NotificationMessage): unknown {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: message.title, weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'TextBlock', text: message.text, wrap: true },
            { type: 'FactSet', facts: Object.entries(message.details).map(([title, value]) => ({ title, value: String(value) })) },
          ],
          actions: message.link ? [{ type: 'Action.OpenUrl', title: 'Open in AccessFlow', url: message.link }] : [],
        },
      },
    ],
  };
}

/** A decision closes the request's alert (same dedup key); everything else raises or updates it. */
function pagerDutyEvent(routingKey: string, message: NotificationMessage): unknown {
  const resolves = message.event === 'APPROVED' || message.event === 'REJECTED' || message.event === 'CHANGES_REQUESTED';
  return {
    routing_key: routingKey,
    event_action: resolves ? 'resolve' : 'trigger',
    // The request (or access request) id, so its events land on one alert.
    dedup_key: message.targetId ?? message.event,
    ...(resolves
      ? {}
      : {
          payload: {
            summary: truncate(`${message.title}: ${message.text}`, 1024),
            source: 'accessflow',
            severity: message.event === 'BREAK_GLASS_USED' || message.event === 'FAILED' ? 'critical' : 'warning',
            timestamp: message.occurredAt,
            component: message.details['datasource'] === undefined ? undefined : String(message.details['datasource']),
            custom_details: message.details,
          },
          ...(message.link ? { links: [{ href: message.link, text: 'Open in AccessFlow' }] } : {}),
        }),
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

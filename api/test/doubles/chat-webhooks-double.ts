/**
 * A DOUBLE of the chat and alerting services AccessFlow notifies, which this machine cannot reach: Slack
 * incoming webhooks, Discord execute-webhook, Microsoft Teams (Workflows) webhooks, the Telegram Bot API's
 * sendMessage and PagerDuty's Events API v2, plus a plain receiver for signed webhooks. One HTTP server on
 * 127.0.0.1 answers each path in its service's real request/response format (checked against each service's
 * documentation) and records every request it received, raw body included.
 *
 *   POST /slack/services/<token>            → 200 "ok" | 400 "invalid_payload" (text/plain)
 *   POST /discord/webhooks/<id>/<token>     → 204 | 400 {"message": "Cannot send an empty message", "code": 50006}
 *   POST /teams/workflows/<token>           → 202 (empty) | 400 {"error": {"code": "InvalidRequestContent", …}}
 *   POST /telegram/bot<token>/sendMessage   → 200 {"ok": true, "result": Message} | 400/401 {"ok": false, "error_code", "description"}
 *   POST /pagerduty/v2/enqueue              → 202 {"status": "success", "message": "Event processed", "dedup_key"} | 400 {"status": "invalid event", …}
 *   POST /webhook/<anything>                → 200 {"received": true}
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  service: 'slack' | 'discord' | 'teams' | 'telegram' | 'pagerduty' | 'webhook';
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  json: Record<string, unknown> | null;
}

export interface ChatWebhooksDouble {
  url: string;
  received: Received[];
  /** The next `count` requests whose path starts with `pathPrefix` get `status` (a server error by default). */
  failNext(pathPrefix: string, count: number, status?: number): void;
  /** The only Telegram bot token the double accepts. */
  telegramToken: string;
  close(): Promise<void>;
}

export const TELEGRAM_TOKEN = '123456:double-telegram-token';
export const TELEGRAM_CHAT = '-1001234567890';

export async function startChatWebhooksDouble(): Promise<ChatWebhooksDouble> {
  const received: Received[] = [];
  const faults: { prefix: string; remaining: number; status: number }[] = [];
  let messageId = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      let json: Record<string, unknown> | null = null;
      try {
        json = rawBody ? (JSON.parse(rawBody) as Record<string, unknown>) : null;
      } catch {
        json = null;
      }
      const reply = (status: number, body: unknown, type = 'application/json') => {
        res.writeHead(status, body === undefined ? {} : { 'content-type': type });
        res.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
      };
      const fault = faults.find((f) => f.remaining > 0 && path.startsWith(f.prefix));
      if (fault) {
        fault.remaining -= 1;
        return reply(fault.status, 'injected failure', 'text/plain');
      }
      const service = path.split('/')[1] as Received['service'];
      if (req.method !== 'POST' || !['slack', 'discord', 'teams', 'telegram', 'pagerduty', 'webhook'].includes(service)) return reply(404, 'not found', 'text/plain');
      received.push({ service, path, headers: req.headers, rawBody, json });
      switch (service) {
        case 'slack':
          // Slack answers in plain text.
          return json && (typeof json['text'] === 'string' || Array.isArray(json['blocks'])) ? reply(200, 'ok', 'text/plain') : reply(400, 'invalid_payload', 'text/plain');
        case 'discord': {
          const hasContent = typeof json?.['content'] === 'string' && (json['content'] as string).length > 0 && (json['content'] as string).length <= 2000;
          return hasContent || Array.isArray(json?.['embeds']) ? reply(204, undefined) : reply(400, { message: 'Cannot send an empty message', code: 50006 });
        }
        case 'teams': {
          const attachments = json?.['attachments'];
          const valid = json?.['type'] === 'message' && Array.isArray(attachments) && attachments.every((a: { contentType?: unknown }) => a.contentType === 'application/vnd.microsoft.card.adaptive');
          return valid ? reply(202, undefined) : reply(400, { error: { code: 'InvalidRequestContent', message: 'The input body for trigger is of type message with adaptive card attachments.' } });
        }
        case 'telegram': {
          const match = /^\/telegram\/bot([^/]+)\/sendMessage$/.exec(path);
          if (!match || decodeURIComponent(match[1]!) !== TELEGRAM_TOKEN) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
          if (String(json?.['chat_id'] ?? '') !== TELEGRAM_CHAT) return reply(400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
          if (typeof json?.['text'] !== 'string' || (json['text'] as string).length === 0 || (json['text'] as string).length > 4096) {
            return reply(400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
          }
          messageId += 1;
          return reply(200, {
            ok: true,
            result: { message_id: messageId, sender_chat: { id: Number(TELEGRAM_CHAT), type: 'channel' }, chat: { id: Number(TELEGRAM_CHAT), type: 'channel' }, date: Math.floor(Date.now() / 1000), text: json['text'] },
          });
        }
        case 'pagerduty': {
          const errors: string[] = [];
          if (path !== '/pagerduty/v2/enqueue') return reply(404, 'not found', 'text/plain');
          if (typeof json?.['routing_key'] !== 'string' || (json['routing_key'] as string).length !== 32) errors.push("'routing_key' is invalid");
          const action = json?.['event_action'];
          if (action !== 'trigger' && action !== 'acknowledge' && action !== 'resolve') errors.push("'event_action' is invalid");
          if (action === 'trigger') {
            const payload = json?.['payload'] as { summary?: unknown; source?: unknown; severity?: unknown } | undefined;
            if (typeof payload?.summary !== 'string') errors.push("'payload.summary' is missing");
            if (typeof payload?.source !== 'string') errors.push("'payload.source' is missing");
            if (!['critical', 'error', 'warning', 'info'].includes(String(payload?.severity))) errors.push("'payload.severity' is invalid");
          } else if (typeof json?.['dedup_key'] !== 'string') errors.push("'dedup_key' is required for acknowledge and resolve");
          return errors.length
            ? reply(400, { status: 'invalid event', message: 'Event object is invalid', errors })
            : reply(202, { status: 'success', message: 'Event processed', dedup_key: json?.['dedup_key'] ?? 'generated-key' });
        }
        case 'webhook':
          return reply(200, { received: true });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    telegramToken: TELEGRAM_TOKEN,
    failNext(prefix, count, status = 500) {
      faults.push({ prefix, remaining: count, status });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

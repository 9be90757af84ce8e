/**
 * TEST DOUBLE of Anthropic's Messages API (this machine cannot reach the real service): `POST /v1/messages` with
 * the real headers (the key as `x-api-key`, or as `Authorization: Bearer` — which @anthropic-ai/sdk 1.12 sends —
 * and `anthropic-version`), request and response bodies, and error bodies `{type: "error", error: {type,
 * message}}`. Served by llm-double.ts.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { DoubleReply, DoubleResponse } from './llm-double.ts';

export function anthropicMessages(headers: IncomingHttpHeaders, body: unknown, expectedKey: string, reply: DoubleReply): DoubleResponse {
  const error = (status: number, type: string, message: string): DoubleResponse => ({ status, body: { type: 'error', error: { type, message } } });
  if (sentKey(headers) !== expectedKey) return error(401, 'authentication_error', 'invalid x-api-key');
  if (typeof headers['anthropic-version'] !== 'string') return error(400, 'invalid_request_error', 'anthropic-version: header is required');
  const request = body as { model?: unknown; max_tokens?: unknown; messages?: { role: string; content: string }[]; system?: string };
  if (typeof request.model !== 'string' || typeof request.max_tokens !== 'number' || !Array.isArray(request.messages)) {
    return error(400, 'invalid_request_error', 'model, max_tokens and messages are required');
  }
  if (reply.kind === 'http') return error(reply.status, reply.status === 401 ? 'authentication_error' : reply.status === 429 ? 'rate_limit_error' : 'api_error', reply.message);
  const prompt = [request.system ?? '', ...request.messages.map((m) => m.content)].join('\n');
  return {
    status: 200,
    body: {
      id: `msg_double_${Date.now()}`,
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: reply.text }],
      model: request.model,
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: Math.ceil(prompt.length / 4), output_tokens: Math.ceil(reply.text.length / 4) },
    },
  };
}

/** The key a request carries, however it was sent. */
export function sentKey(headers: IncomingHttpHeaders): string | undefined {
  const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '');
  return (headers['x-api-key'] as string | undefined) ?? bearer?.[1];
}

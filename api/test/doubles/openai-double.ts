/**
 * TEST DOUBLE of OpenAI chat completions (`POST /v1/chat/completions`, `Authorization: Bearer`, the real
 * response and `{error: {message, type, param, code}}` error bodies) and of Ollama's `POST /api/chat`
 * (non-streaming). Served by llm-double.ts.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { DoubleReply, DoubleResponse } from './llm-double.ts';

type Messages = { role: string; content: string }[];

export function openAiChatCompletions(headers: IncomingHttpHeaders, body: unknown, expectedKey: string, reply: DoubleReply): DoubleResponse {
  const error = (status: number, type: string, message: string, code: string | null): DoubleResponse => ({ status, body: { error: { message, type, param: null, code } } });
  if (headers.authorization !== `Bearer ${expectedKey}`) return error(401, 'invalid_request_error', 'Incorrect API key provided.', 'invalid_api_key');
  const request = body as { model?: unknown; messages?: Messages };
  if (typeof request.model !== 'string' || !Array.isArray(request.messages)) return error(400, 'invalid_request_error', 'model and messages are required', null);
  if (reply.kind === 'http') return error(reply.status, reply.status >= 500 ? 'server_error' : 'invalid_request_error', reply.message, null);
  const promptTokens = Math.ceil(request.messages.map((m) => m.content).join('\n').length / 4);
  const completionTokens = Math.ceil(reply.text.length / 4);
  return {
    status: 200,
    body: {
      id: `chatcmpl-double-${Date.now()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      choices: [{ index: 0, message: { role: 'assistant', content: reply.text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    },
  };
}

export function ollamaChat(body: unknown, reply: DoubleReply): DoubleResponse {
  const request = body as { model?: unknown; messages?: Messages; stream?: boolean };
  if (typeof request.model !== 'string' || !Array.isArray(request.messages)) return { status: 400, body: { error: 'model and messages are required' } };
  if (reply.kind === 'http') return { status: reply.status, body: { error: reply.message } };
  return {
    status: 200,
    body: {
      model: request.model,
      created_at: new Date().toISOString(),
      message: { role: 'assistant', content: reply.text },
      done_reason: 'stop',
      done: true,
      total_duration: 1_000_000,
      prompt_eval_count: Math.ceil(request.messages.map((m) => m.content).join('\n').length / 4),
      eval_count: Math.ceil(reply.text.length / 4),
    },
  };
}

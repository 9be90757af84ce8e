/**
 * TEST DOUBLE: one HTTP server on 127.0.0.1 speaking Anthropic's Messages API, OpenAI chat completions and
 * Ollama's /api/chat wire formats (anthropic-double.ts, openai-double.ts). Tests script its answer (a text, an
 * HTTP error, a delay) and read every request it received, headers and body, to check what was sent.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicMessages } from './anthropic-double.ts';
import { ollamaChat, openAiChatCompletions } from './openai-double.ts';

export type DoubleReply = { kind: 'text'; text: string } | { kind: 'http'; status: number; message: string };
export interface DoubleResponse {
  status: number;
  body: unknown;
}
export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface LlmDouble {
  /** Base URL, e.g. http://127.0.0.1:PORT (Anthropic: as is; OpenAI: + /v1; Ollama: as is). */
  url: string;
  /** The only key the double accepts (x-api-key, or Bearer). */
  apiKey: string;
  received: ReceivedRequest[];
  /** What the next requests get; `delayMs` holds the answer back (for timeouts). */
  script(reply: DoubleReply, delayMs?: number): void;
  close(): Promise<void>;
}

export async function startLlmDouble(apiKey: string): Promise<LlmDouble> {
  let reply: DoubleReply = { kind: 'text', text: '{"score": 0, "level": "LOW", "issues": []}' };
  let delayMs = 0;
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({ path: req.url ?? '', headers: req.headers, body: text });
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      const path = (req.url ?? '').split('?')[0];
      const answer: DoubleResponse =
        req.method !== 'POST' ? { status: 405, body: { error: 'method not allowed' } }
        : path === '/v1/messages' ? anthropicMessages(req.headers, body, apiKey, reply)
        : path === '/v1/chat/completions' ? openAiChatCompletions(req.headers, body, apiKey, reply)
        : path === '/api/chat' ? ollamaChat(body, reply)
        : { status: 404, body: { error: 'not found' } };
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'content-type': 'application/json', 'request-id': `req_double_${received.length}` });
        res.end(JSON.stringify(answer.body));
      };
      if (delayMs > 0) setTimeout(send, delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    received,
    script(next, delay = 0) {
      reply = next;
      delayMs = delay;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

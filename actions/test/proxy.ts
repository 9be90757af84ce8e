/**
 * A loopback HTTP proxy in front of the server that carries plain GraphQL POSTs but, like some corporate
 * proxies, refuses WebSocket upgrades and (optionally) server-sent event streams: the CLI must fall back.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Proxy {
  url: string;
  /** Requests that were refused, by kind. */
  refused: { websocket: number; sse: number };
  close(): Promise<void>;
}

export async function startProxy(target: string, refuse: { sse: boolean }): Promise<Proxy> {
  const refused = { websocket: 0, sse: 0 };
  const server: Server = createServer(async (req, res) => {
    if (refuse.sse && (req.headers.accept ?? '').includes('text/event-stream')) {
      refused.sse += 1;
      res.writeHead(405, { 'content-type': 'text/plain' }).end('streams are not allowed through this proxy');
      return;
    }
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)).map(([k, v]) => [k, String(v)]));
      const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? null : Buffer.concat(chunks) });
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      if (!upstream.body) return void res.end();
      for await (const chunk of upstream.body) res.write(chunk);
      res.end();
    } catch {
      // The client or the proxy went away mid-stream.
      res.destroy();
    }
  });
  server.on('upgrade', (_req, socket) => {
    refused.websocket += 1;
    socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    refused,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

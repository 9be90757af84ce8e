/**
 * Serves the built console (web/dist) on the API's port: files by path, and index.html for every other GET
 * that asks for a page, so deep links such as /queries/<id> load the app. Never answers for the API's own
 * paths. Hashed assets are cached for a year; index.html is revalidated on every load.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Where `npm run build -w @accessflow/web` writes the console. */
export const CONSOLE_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const API_PATHS = ['/graphql', '/healthz', '/readyz'];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** The console loads nothing from elsewhere; inline styles are allowed for CodeMirror and Solid style bindings. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
    "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export type ConsoleHandler = (request: Request) => Promise<Response | null>;

/** A handler that answers console requests and returns null for everything else (the API's paths included). */
export function consoleHandler(dir: string = CONSOLE_DIR): ConsoleHandler {
  const root = resolve(dir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return null;
    const { pathname } = new URL(request.url);
    if (API_PATHS.some((path) => pathname === path || pathname.startsWith(`${path}/`))) return null;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return new Response('bad path', { status: 400 });
    }
    const file = resolve(root, `.${decoded}`);
    if (file !== root && !file.startsWith(root + sep)) return new Response('not found', { status: 404 });
    const asset = extname(decoded) !== '';
    if (asset) {
      const served = await serve(file, request, decoded.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      return served ?? new Response('not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
    // A page path (no extension): the app decides what to show, so every such path gets index.html.
    return (
      (await serve(resolve(root, 'index.html'), request, 'no-cache')) ??
      new Response(
        'The console is not built yet. `npm start` builds it in the background (a few seconds): reload shortly, ' +
          'or build it with `npm run build -w @accessflow/web`.\n',
        { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' } },
      )
    );
  };
}

async function serve(file: string, request: Request, cacheControl: string): Promise<Response | null> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return null;
  const etag = `"${info.size.toString(16)}-${Math.trunc(info.mtimeMs).toString(16)}"`;
  const headers = {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': cacheControl,
    etag,
    ...SECURITY_HEADERS,
  };
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  if (request.method === 'HEAD') return new Response(null, { headers: { ...headers, 'content-length': String(info.size) } });
  const body = await readFile(file);
  const compressible = /^(text\/|application\/json|image\/svg)/.test(headers['content-type']);
  if (compressible && /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '')) {
    return new Response(gzipped(file, etag, body), { headers: { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' } });
  }
  return new Response(body, { headers: { ...headers, vary: 'accept-encoding' } });
}

/** Each file is compressed once per version (its etag). */
const gzipCache = new Map<string, { etag: string; body: Uint8Array<ArrayBuffer> }>();
function gzipped(file: string, etag: string, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const cached = gzipCache.get(file);
  if (cached?.etag === etag) return cached.body;
  const compressed = new Uint8Array(gzipSync(body, { level: 9 }));
  gzipCache.set(file, { etag, body: compressed });
  return compressed;
}

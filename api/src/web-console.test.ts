import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/harness.ts';
import { consoleHandler, type ConsoleHandler } from './web-console.ts';

let dir: string;
let handle: ConsoleHandler;
const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  handle(new Request(`http://test.local${path}`, { method, headers }));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accessflow-console-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log("app")');
  await writeFile(join(dir, 'assets', 'index-abc123.css'), 'body{}');
  await writeFile(join(tmpdir(), 'accessflow-console-secret.txt'), 'outside');
  handle = consoleHandler(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('console files', () => {
  it('serves index.html for the root and for deep links, revalidated on every load', async () => {
    for (const path of ['/', '/queries/7c1e0f7e-0000-4000-8000-000000000000', '/admin/audit-log?action=X']) {
      const response = (await get(path))!;
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await response.text()).toContain('<title>console</title>');
    }
  });

  it('serves hashed assets with their content type, cached for a year, gzip when asked', async () => {
    const js = (await get('/assets/index-abc123.js'))!;
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log("app")');
    const css = (await get('/assets/index-abc123.css', { 'accept-encoding': 'gzip, br' }))!;
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(new Uint8Array(await css.arrayBuffer())).toString()).toBe('body{}');
  });

  it('answers a repeated request with 304 when the ETag matches, and HEAD without a body', async () => {
    const first = (await get('/assets/index-abc123.js'))!;
    const again = (await get('/assets/index-abc123.js', { 'if-none-match': first.headers.get('etag')! }))!;
    expect(again.status).toBe(304);
    const head = (await get('/assets/index-abc123.js', {}, 'HEAD'))!;
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('console.log("app")'.length));
    expect(await head.text()).toBe('');
  });

  it('404s a missing asset instead of answering with the page', async () => {
    const response = (await get('/assets/missing-000.js'))!;
    expect(response.status).toBe(404);
  });

  it('never leaves its folder', async () => {
    for (const path of ['/../accessflow-console-secret.txt', '/%2e%2e/accessflow-console-secret.txt', '/assets/..%2f..%2faccessflow-console-secret.txt']) {
      const response = (await get(path))!;
      expect(response.status).toBe(404);
    }
    expect((await get('/%E0%A4%A'))!.status).toBe(400);
  });

  it('leaves the API paths and other methods to the API', async () => {
    for (const path of ['/graphql', '/graphql?query={setupRequired}', '/healthz', '/readyz']) expect(await get(path)).toBeNull();
    expect(await get('/', {}, 'POST')).toBeNull();
  });

  it('says how to build the console when it is missing', async () => {
    const missing = consoleHandler(join(dir, 'nothing-here'));
    const response = (await missing(new Request('http://test.local/dashboard')))!;
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/npm run build -w @accessflow\/web/);
  });
});

describe('the API beside the console', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('still answers /graphql (GET and POST), /healthz and /readyz', async () => {
    const viaGet = await t.fetch('/graphql?query=%7BsetupRequired%7D', { headers: { accept: 'application/json' } });
    expect(await viaGet.json()).toEqual({ data: { setupRequired: true } });
    expect(await t.gql('{ setupRequired }')).toEqual({ data: { setupRequired: true } });
    expect((await t.fetch('/healthz')).status).toBe(200);
    expect(await (await t.fetch('/readyz')).json()).toMatchObject({ status: 'ready' });
  });
});

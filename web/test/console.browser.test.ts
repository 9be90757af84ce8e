/**
 * The console in real Chromium (Debian's, driven by playwright-core) against a real server on a real
 * PostgreSQL store, governing a real PostgreSQL database:
 * setup → datasource, people, grant, masking → the analyst submits → the reviewer (a second browser
 * context) sees it arrive live and approves → the analyst's page turns APPROVED and then EXECUTED without a
 * reload and shows masked rows. Every main screen is screenshotted (web/test-results/screenshots/) and
 * checked with axe-core; no page may load anything from another origin or log an error.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type {} from '../../api/test/global-setup.ts';
import { createTestApp, superuserQuery, type TestApp } from '../../api/test/harness.ts';
import { startChatWebhooksDouble, type ChatWebhooksDouble } from '../../api/test/doubles/chat-webhooks-double.ts';
import { startLlmDouble, type LlmDouble } from '../../api/test/doubles/llm-double.ts';
import { createPostgresDatabase } from '../../api/test/servers.ts';

const SHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PASSWORD = 'correct horse battery staple';
/** Live updates and pages under load (2 shared cores) may take seconds. */
const POLL = { timeout: 15_000 };
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let t: TestApp;
let url: string;
let browser: Browser;
let target: URL;
/** A double of the model services (this machine cannot reach them), for the AI configuration's connection test. */
let llm: LlmDouble;
const LLM_KEY = 'sk-ant-console-test-key-0123456789';
/** A double of Slack and the other chat services, for the notification channel's test message. */
let chat: ChatWebhooksDouble;
const problems: string[] = [];

function chromiumPath(): string {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Debian chromium is not installed: apt-get install -y chromium (.ci/run installs it)');
  }
}

beforeAll(async () => {
  // The server serves web/dist: build it when it is missing or older than the sources.
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/ensure-build.ts', import.meta.url))], { stdio: 'inherit' });
  await rm(SHOTS, { recursive: true, force: true });
  await mkdir(SHOTS, { recursive: true });
  target = new URL(await createPostgresDatabase(inject('postgresUrl')));
  await superuserQuery(
    target.toString(),
    `create table customers (id int primary key, name text not null, email text not null);
     insert into customers values (1, 'Ada', 'ada@example.com'), (2, 'Grace', 'grace@example.com'), (3, 'Linus', 'linus@example.com')`,
  );
  t = await createTestApp();
  url = await t.app.start();
  llm = await startLlmDouble(LLM_KEY);
  chat = await startChatWebhooksDouble();
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await llm?.close();
  await chat?.close();
});

/** A browser context whose pages must stay on this origin and log no errors. */
async function context(options: { colorScheme?: 'light' | 'dark' } = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: options.colorScheme ?? 'light' });
  ctx.on('request', (request) => {
    const u = new URL(request.url());
    if (u.origin !== url && u.protocol !== 'data:' && u.protocol !== 'blob:' && !(u.protocol === 'ws:' && u.host === new URL(url).host)) {
      problems.push(`request to another origin: ${request.url()}`);
    }
  });
  ctx.on('page', (page) => {
    page.on('console', (message) => {
      // A decision made on a page that requests it again races the queue's own refresh; nothing else may log an error.
      if (message.type() === 'error') problems.push(`console error on ${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
  });
  return ctx;
}

/** axe-core's WCAG 2.x A/AA rules on the current page; returns the violations as readable lines. */
async function accessibility(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<{ violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`);
  });
  return violations;
}

const axeReport: Record<string, string[]> = {};
let p8Editor: { files: number; gzipBytes: number } | undefined;
async function screen(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
  axeReport[name] = await accessibility(page);
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

it('setup → datasource → analyst submits → reviewer approves live → analyst sees EXECUTED with masked rows', async () => {
  try {
    await journey();
  } catch (error) {
    // Where each open page stood when the journey failed.
    let n = 0;
    for (const ctx of browser.contexts()) for (const page of ctx.pages()) await page.screenshot({ path: `${SHOTS}failure-${++n}.png`, fullPage: true });
    if (problems.length > 0) console.error(`while the journey ran:\n${problems.join('\n')}`);
    throw error;
  }
  console.log(`P8 measured in Chromium: direct load of /editor fetched ${p8Editor?.files} scripts, ${((p8Editor?.gzipBytes ?? 0) / 1024).toFixed(1)} kB gzip`);
  expect(problems).toEqual([]);
  expect(axeReport).toEqual(Object.fromEntries(Object.keys(axeReport).map((name) => [name, []])));
});

async function journey(): Promise<void> {
  const admin = await (await context()).newPage();
  // The accessibility check finds what it should: an image without a text alternative, an unlabeled input.
  await admin.setContent('<html lang="en"><title>x</title><main><img src="data:,"><input></main></html>');
  expect((await accessibility(admin)).map((line) => line.split(':')[0])).toEqual(expect.arrayContaining(['image-alt', 'label']));

  // First run: the app sends a fresh instance to /setup; a wrong token is refused next to the form.
  await admin.goto(url);
  await admin.waitForURL(/\/setup$/);
  await admin.getByLabel('Setup token').fill('not-the-token');
  await admin.getByLabel('Organization name').fill('Acme');
  await admin.getByLabel('Your name').fill('Ada Admin');
  await admin.getByLabel('Email').fill('admin@acme.test');
  await admin.getByLabel('Password').fill(PASSWORD);
  await admin.getByRole('button', { name: 'Create organization' }).click();
  await admin.getByRole('alert').filter({ hasText: 'setup token does not match' }).waitFor();
  await screen(admin, '01-setup-error');
  await admin.getByLabel('Setup token').fill(t.setupToken);
  await admin.getByRole('button', { name: 'Create organization' }).click();
  await admin.waitForURL(/\/admin\/datasources$/);
  await admin.getByText('No datasource yet').waitFor();

  // A datasource whose reads need review; a typed ConnectionFailed first (wrong port), then the real one.
  await admin.getByRole('button', { name: 'Add datasource' }).click();
  await admin.getByLabel('Name', { exact: true }).fill('crm');
  await admin.getByLabel('Host').fill(target.hostname);
  await admin.getByLabel('Port').fill('1');
  await admin.getByLabel('Database').fill(target.pathname.slice(1));
  await admin.getByLabel('Username').fill('postgres');
  await admin.getByLabel('Reads need review').check();
  await admin.getByRole('button', { name: 'Save' }).click();
  await admin.getByRole('alert').filter({ hasText: 'Connection failed' }).waitFor();
  await admin.getByLabel('Port').fill(target.port);
  // Verified TLS with the server's own (self-signed) certificate as the trusted authority: every later step of the
  // journey runs over it, and saving the form again keeps it.
  await admin.getByLabel('SSL mode').selectOption('VERIFY_FULL');
  await admin.getByLabel('Trusted certificate authorities (PEM)').fill(inject('postgresCertificate'));
  await admin.getByRole('button', { name: 'Save' }).click();
  await admin.getByRole('status').filter({ hasText: 'Saved crm.' }).waitFor();
  await admin.getByRole('button', { name: 'Edit crm' }).click();
  expect((await admin.getByLabel('Trusted certificate authorities (PEM)').inputValue()).trim()).toBe(inject('postgresCertificate').trim());
  await admin.getByRole('button', { name: 'Save' }).click();
  await admin.getByRole('status').filter({ hasText: 'Saved crm.' }).waitFor();
  await screen(admin, '02-datasources');

  // People: a validation error shown beside its field, then an analyst and a reviewer.
  await admin.getByRole('link', { name: 'Users & API keys' }).click();
  const person = admin.getByRole('form', { name: 'Invite a person' });
  await person.getByLabel('Email').fill('not-an-email');
  await person.getByLabel('Display name').fill('Ana Analyst');
  await person.getByLabel('Initial password').fill(PASSWORD);
  await person.getByRole('button', { name: 'Add person' }).click();
  await expect.poll(() => person.getByLabel('Email').getAttribute('aria-invalid'), POLL).toBe('true');
  await person.getByLabel('Email').fill('analyst@acme.test');
  await person.getByLabel('Role').selectOption('ANALYST');
  await person.getByRole('button', { name: 'Add person' }).click();
  await admin.getByRole('cell', { name: 'analyst@acme.test' }).waitFor();
  await person.getByLabel('Email').fill('reviewer@acme.test');
  await person.getByLabel('Display name').fill('Rex Reviewer');
  await person.getByLabel('Initial password').fill(PASSWORD);
  await person.getByLabel('Role').selectOption('REVIEWER');
  await person.getByRole('button', { name: 'Add person' }).click();
  await admin.getByRole('cell', { name: 'reviewer@acme.test' }).waitFor();
  // An API key: its secret is shown once.
  const keyForm = admin.getByRole('form', { name: 'Create an API key' });
  await keyForm.getByLabel('Key name').fill('terraform');
  await keyForm.getByRole('button', { name: 'Create key' }).click();
  await expect.poll(async () => (await admin.getByTestId('api-key-secret').textContent()) ?? '', POLL).toMatch(/^af_/);
  await screen(admin, '03-users-and-keys');

  // The analyst may read crm; customers.email is masked for everyone.
  await admin.getByRole('link', { name: 'Grants' }).click();
  const grant = admin.getByRole('form', { name: 'Grant access' });
  await grant.getByLabel('Datasource').selectOption({ label: 'crm' });
  await grant.getByLabel('User or group').selectOption({ label: 'Ana Analyst (analyst)' });
  await grant.getByLabel('break glass').check();
  await grant.getByRole('button', { name: 'Save grant' }).click();
  await admin.getByRole('cell', { name: 'Ana Analyst', exact: true }).waitFor();
  await screen(admin, '04-grants');
  await admin.getByRole('link', { name: 'Masking' }).click();
  const mask = admin.getByRole('form', { name: 'Mask a column' });
  await mask.getByLabel('Datasource').selectOption({ label: 'crm' });
  await mask.getByLabel('Column').fill('customers.email');
  await mask.getByLabel('Strategy').selectOption('EMAIL');
  await mask.getByRole('button', { name: 'Save policy' }).click();
  await admin.getByRole('cell', { name: 'customers.email', exact: true }).waitFor();
  await screen(admin, '05-masking');

  // Classification tags: a field error beside the field first (no table), then customers.email as PII.
  await admin.getByRole('link', { name: 'Classification tags' }).click();
  await admin.getByText('No classification tag yet').waitFor();
  const tag = admin.getByRole('form', { name: 'Tag a table or column' });
  await tag.getByLabel('Datasource').selectOption({ label: 'crm' });
  await tag.getByRole('button', { name: 'Save tag' }).click();
  await expect.poll(() => tag.getByLabel('Table').getAttribute('aria-invalid'), POLL).toBe('true');
  await tag.getByLabel('Table').fill('customers');
  await tag.getByLabel('Column (optional)').fill('email');
  await tag.getByLabel('Classification').selectOption('PII');
  await tag.getByRole('button', { name: 'Save tag' }).click();
  await admin.getByRole('cell', { name: 'customers.email', exact: true }).waitFor();
  await admin.getByRole('status').filter({ hasText: 'Tag saved.' }).waitFor();
  await screen(admin, '05b-classification');

  // The reviewer watches an empty queue in a second browser context.
  const reviewerContext = await context();
  const reviewer = await reviewerContext.newPage();
  await signIn(reviewer, 'reviewer@acme.test');
  await reviewer.getByRole('link', { name: 'Review queue' }).click();
  await reviewer.getByText('Nothing waits for your review').waitFor();

  // The analyst writes the query in CodeMirror (with completion available) and submits it.
  const analyst = await (await context()).newPage();
  await signIn(analyst, 'analyst@acme.test');
  await analyst.getByRole('link', { name: 'SQL editor' }).click();
  // The schema browser lists the table (its e-mail column marked as masked); completion offers it.
  await analyst.getByText('public.customers').click();
  await analyst.getByText('masked: email').waitFor();
  const editor = analyst.getByRole('textbox', { name: 'SQL query' });
  await editor.click();
  await analyst.keyboard.type('select id from custo');
  await analyst.getByRole('option', { name: /customers/ }).first().waitFor();
  await analyst.keyboard.press('Escape');
  await analyst.keyboard.press('ControlOrMeta+a');
  await analyst.keyboard.type('select id, name, email from customers order by id');
  // The server's risk preview (analyzeSql) for the statement as typed.
  await analyst.getByText(/Preview: SELECT/).waitFor();
  await analyst.getByText('Reads without a LIMIT', { exact: false }).first().waitFor();
  await analyst.getByLabel('Justification').fill('Checking the welcome e-mails (TICKET-42)');
  await screen(analyst, '06-editor');
  await analyst.getByRole('button', { name: 'Submit for review' }).click();
  await analyst.waitForURL(/\/queries\/[0-9a-f-]{36}$/);
  const status = analyst.getByTestId('request-status');
  await expect.poll(() => status.textContent(), POLL).toBe('PENDING REVIEW');
  const requestUrl = analyst.url();

  // The reviewer's queue shows it without a reload; bulk-approve it, bound to the text shown (sqlHashes).
  const row = reviewer.getByRole('row').filter({ hasText: 'select id, name, email from customers' });
  await row.waitFor({ timeout: 15_000 });
  await row.getByRole('checkbox').check();
  await reviewer.getByRole('button', { name: 'Approve selected' }).waitFor();
  await screen(reviewer, '07-review-queue');
  const bulk = reviewer.waitForRequest((request) => request.postData()?.includes('decideQueryRequests') ?? false);
  await reviewer.getByRole('button', { name: 'Approve selected' }).click();
  const submitted = await t.gql<{ queryRequest: { id: string; sqlHash: string } }>('query($id:ID!){queryRequest(id:$id){id sqlHash}}', { id: requestUrl.split('/').pop() }, { authorization: `Bearer ${await reviewer.evaluate(() => (JSON.parse(localStorage.getItem('accessflow.session')!) as { accessToken: string }).accessToken)}` });
  expect((await bulk).postDataJSON()).toMatchObject({ variables: { input: { requestIds: [submitted.data?.queryRequest.id], sqlHashes: [submitted.data?.queryRequest.sqlHash], decision: 'APPROVE' } } });
  await reviewer.getByRole('status').filter({ hasText: '1 of 1 approved.' }).waitFor();
  await reviewer.getByText('Nothing waits for your review').waitFor();

  // The analyst's page, never reloaded, turns APPROVED; running it turns it EXECUTED with masked e-mails.
  await expect.poll(() => status.textContent(), POLL).toBe('APPROVED');
  expect(analyst.url()).toBe(requestUrl);
  await analyst.getByText('Stage 1: approved').waitFor();
  await analyst.getByRole('button', { name: 'Run now' }).click();
  await expect.poll(() => status.textContent(), POLL).toBe('EXECUTED');
  const table = analyst.getByTestId('result-table');
  await table.waitFor();
  const cells = await table.locator('tbody td').allTextContents();
  expect(cells).toContain('Ada');
  expect(cells.join(' ')).not.toContain('ada@example.com');
  expect(cells.filter((c) => /^a\*+@example\.com$/.test(c))).toHaveLength(1);
  await screen(analyst, '08-request-executed');

  // The shared link opens the same request for the reviewer, who sees the same state.
  await reviewer.goto(requestUrl);
  await expect.poll(() => reviewer.getByTestId('request-status').textContent(), POLL).toBe('EXECUTED');

  // A second request: the reviewer asks for changes on its page (a comment is required), the analyst sees the
  // comment arrive and takes the statement back to the editor.
  await analyst.getByRole('link', { name: 'SQL editor' }).click();
  await analyst.getByRole('textbox', { name: 'SQL query' }).click();
  await analyst.keyboard.type('select name from customers where id = 2');
  await analyst.getByRole('button', { name: 'Submit for review' }).click();
  await analyst.waitForURL((u) => /\/queries\/[0-9a-f-]{36}$/.test(u.pathname) && u.href !== requestUrl);
  await expect.poll(() => status.textContent(), POLL).toBe('PENDING REVIEW');
  await reviewer.goto(analyst.url());
  const requestChanges = reviewer.getByRole('button', { name: 'Request changes' });
  expect(await requestChanges.isDisabled()).toBe(true);
  await reviewer.getByLabel('Comment').fill('Please add a LIMIT');
  await requestChanges.click();
  await analyst.getByText('Changes requested: Please add a LIMIT').waitFor({ timeout: 15_000 });
  await analyst.getByRole('link', { name: 'Edit and submit again' }).click();
  await expect.poll(() => analyst.getByRole('textbox', { name: 'SQL query' }).textContent(), POLL).toBe('select name from customers where id = 2');

  // P8 on a real direct load of /editor: every script fetched until the editor is usable, gzip-compressed as the
  // server sends it, within 150 kB; graphql-ws is not among them (no subscription on this page).
  const direct = await analyst.context().newPage();
  const scripts = new Map<string, Promise<Buffer>>();
  direct.on('response', (response) => {
    if (response.request().resourceType() === 'script') scripts.set(response.url(), response.body());
  });
  await direct.goto(`${url}/editor`);
  await direct.getByRole('textbox', { name: 'SQL query' }).waitFor();
  await direct.getByText('public.customers').waitFor();
  await direct.waitForLoadState('networkidle');
  const bodies = await Promise.all(scripts.values());
  const gzipBytes = bodies.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).byteLength, 0);
  expect(bodies.filter((body) => body.includes('graphql-transport-ws')).length, 'graphql-ws loaded by /editor').toBe(0);
  expect(gzipBytes, `first-load JS of /editor: ${[...scripts.keys()].join(', ')}`).toBeLessThanOrEqual(150 * 1024);
  p8Editor = { files: scripts.size, gzipBytes };
  // The editor in dark mode: highlighted SQL in the dark palette passes the same contrast checks.
  await direct.emulateMedia({ colorScheme: 'dark' });
  await direct.getByRole('textbox', { name: 'SQL query' }).click();
  await direct.keyboard.press('ControlOrMeta+a');
  await direct.keyboard.type("select id, 'x' as tag from customers where id > 1 -- note");
  await direct.locator('.tok-keyword').first().waitFor();
  await screen(direct, '06b-editor-dark');
  await direct.close();

  // Dashboard (light and dark), history, audit log with a verified chain.
  await analyst.getByRole('link', { name: 'Dashboard' }).click();
  await analyst.getByRole('img', { name: /My requests per day, last 14 days: 1 executed/ }).waitFor();
  await screen(analyst, '09-dashboard');
  // Sign-in returns only to a path of this site: a `next` naming another host lands on the dashboard.
  const dark = await (await context({ colorScheme: 'dark' })).newPage();
  await dark.goto(`${url}/login?next=${encodeURIComponent('/\\example.com/x')}`);
  await dark.getByLabel('Email').fill('reviewer@acme.test');
  await dark.getByLabel('Password').fill(PASSWORD);
  await dark.getByRole('button', { name: 'Sign in' }).click();
  await dark.getByRole('heading', { name: 'Dashboard' }).waitFor();
  expect(dark.url()).toBe(`${url}/`);
  await screen(dark, '10-dashboard-dark');
  // An access token about to expire is traded for a new pair before the next call; the user stays signed in.
  const session = () => analyst.evaluate(() => JSON.parse(localStorage.getItem('accessflow.session') ?? 'null') as { accessToken: string; refreshToken: string } | null);
  const before = await session();
  await analyst.evaluate(() => {
    const stored = JSON.parse(localStorage.getItem('accessflow.session')!) as Record<string, string>;
    localStorage.setItem('accessflow.session', JSON.stringify({ ...stored, accessTokenExpiresAt: new Date(0).toISOString() }));
  });
  await analyst.goto(`${url}/queries?status=EXECUTED`);
  await analyst.getByRole('cell', { name: 'EXECUTED' }).waitFor();
  // The filter in the address is the filter shown.
  expect(await analyst.getByLabel('Status').inputValue()).toBe('EXECUTED');
  const after = await session();
  expect(after?.refreshToken).toBeTruthy();
  expect(after?.refreshToken).not.toBe(before?.refreshToken);
  expect(after?.accessToken).not.toBe(before?.accessToken);
  await screen(analyst, '11-history');
  await admin.getByRole('link', { name: 'Audit log' }).click();
  await admin.getByRole('cell', { name: 'QUERY_EXECUTED' }).waitFor();
  await admin.getByRole('button', { name: 'Verify chain' }).click();
  await expect.poll(async () => (await admin.getByTestId('chain-verification').textContent()) ?? '', POLL).toMatch(/Chain intact: \d+ events verified/);
  await screen(admin, '12-audit-log');
  await admin.getByRole('link', { name: 'Datasource health' }).click();
  await admin.getByRole('img', { name: /Requests per hour, last 24 hours: 1 executed/ }).waitFor();
  await admin.getByText('reachable').waitFor();
  await screen(admin, '13-health');
  // Break glass: the analyst's emergency run waits in the log until an admin acknowledges it with a comment.
  const analystToken = await analyst.evaluate(() => (JSON.parse(localStorage.getItem('accessflow.session')!) as { accessToken: string }).accessToken);
  const datasources = await t.gql<{ datasources: { edges: { node: { id: string } }[] } }>('{datasources(first:1){edges{node{id}}}}', {}, { authorization: `Bearer ${analystToken}` });
  const emergency = await t.gql<{ breakGlassQuery: { __typename: string } }>(
    'mutation($input:BreakGlassQueryInput!){breakGlassQuery(input:$input){__typename}}',
    { input: { datasourceId: datasources.data?.datasources.edges[0]?.node.id, query: 'select count(*) from customers', justification: 'Incident INC-7: checking customer count' } },
    { authorization: `Bearer ${analystToken}` },
  );
  expect(emergency.data?.breakGlassQuery.__typename).toBe('MutationBreakGlassQuerySuccess');
  await admin.getByRole('link', { name: 'Break-glass log' }).click();
  await admin.getByLabel('Waiting for acknowledgement only').check();
  await admin.waitForURL(/\/admin\/break-glass\?pending=1$/);
  const emergencyRow = admin.getByRole('row').filter({ hasText: 'select count(*) from customers' });
  await emergencyRow.waitFor();
  const acknowledge = emergencyRow.getByRole('button', { name: 'Acknowledge' });
  expect(await acknowledge.isDisabled()).toBe(true);
  await emergencyRow.getByLabel('Retro-review comment').fill('Confirmed with the incident lead');
  await screen(admin, '15-break-glass');
  await acknowledge.click();
  await admin.getByRole('status').filter({ hasText: 'Break-glass run acknowledged.' }).waitFor();
  await admin.getByText('Every break-glass run has been acknowledged.').waitFor();
  await admin.getByLabel('Waiting for acknowledgement only').uncheck();
  await admin.getByRole('row').filter({ hasText: 'Confirmed with the incident lead' }).waitFor();

  // Just-in-time access: the analyst asks for write access (a missing justification is shown at its field
  // first), the reviewer approves it, an admin revokes it, and the analyst's list follows.
  await analyst.getByRole('link', { name: 'Access requests' }).click();
  const ask = analyst.getByRole('form', { name: 'Request access' });
  await ask.getByLabel('Datasource').selectOption({ label: 'crm' });
  await ask.getByLabel('write').check();
  await ask.getByRole('button', { name: 'Request access' }).click();
  await expect.poll(() => ask.getByLabel('Justification').getAttribute('aria-invalid'), POLL).toBe('true');
  await ask.getByLabel('Justification').fill('Backfill of the welcome flags (TICKET-43)');
  await ask.getByRole('button', { name: 'Request access' }).click();
  await analyst.getByRole('status').filter({ hasText: 'Access requested' }).waitFor();
  await analyst.getByRole('row').filter({ hasText: 'read, write' }).getByText('PENDING').waitFor();
  await reviewer.getByRole('link', { name: 'Access requests' }).click();
  const pendingAccess = reviewer.getByRole('row').filter({ hasText: 'Backfill of the welcome flags' });
  expect(await pendingAccess.getByRole('button', { name: 'Reject' }).isDisabled()).toBe(true);
  await screen(reviewer, '16-access-review');
  await pendingAccess.getByRole('button', { name: 'Approve' }).click();
  await reviewer.getByRole('status').filter({ hasText: 'Access approved.' }).waitFor();
  await admin.getByRole('link', { name: 'Access requests' }).click();
  const inForce = admin.getByRole('table', { name: 'Approved access in force' }).getByRole('row').filter({ hasText: 'Ana Analyst' });
  await inForce.waitFor();
  await screen(admin, '17-access-admin');
  await inForce.getByRole('button', { name: /Revoke/ }).click();
  await admin.getByRole('status').filter({ hasText: 'Access revoked.' }).waitFor();
  await analyst.reload();
  await analyst.getByRole('row').filter({ hasText: 'read, write' }).getByText('REVOKED').waitFor();
  await screen(analyst, '18-access-mine');

  // Query templates: a field error first, then a template, a second version, the diff, a restore.
  await analyst.getByRole('link', { name: 'Query templates' }).click();
  await analyst.getByText('No template yet').waitFor();
  const template = analyst.getByRole('form', { name: 'Save a template' });
  await template.getByLabel('Name').fill('Customer by id');
  await template.getByRole('button', { name: 'Save template' }).click();
  await expect.poll(() => template.getByLabel('SQL').getAttribute('aria-invalid'), POLL).toBe('true');
  await template.getByLabel('SQL').fill('select name from customers where id = :id');
  await template.getByRole('button', { name: 'Save template' }).click();
  await analyst.getByRole('status').filter({ hasText: 'Saved Customer by id as version 1.' }).waitFor();
  await analyst.getByRole('cell', { name: ':id', exact: true }).waitFor();
  await analyst.getByRole('button', { name: 'Edit Customer by id' }).click();
  expect(await template.getByLabel('SQL').inputValue()).toBe('select name from customers where id = :id');
  await template.getByLabel('SQL').fill('select name, email from customers where id = :customer_id');
  await template.getByRole('button', { name: 'Save template' }).click();
  await analyst.getByRole('status').filter({ hasText: 'as version 2.' }).waitFor();
  await analyst.getByRole('button', { name: 'Compare with current (v1)' }).click();
  await expect.poll(async () => (await analyst.getByTestId('template-diff').textContent()) ?? '', POLL).toContain('+select name, email from customers where id = :customer_id');
  await screen(analyst, '19-templates');
  await analyst.getByRole('button', { name: 'Restore v1' }).click();
  await analyst.getByRole('status').filter({ hasText: 'Version 1 restored as version 3.' }).waitFor();
  // Submitting the template: its placeholder filled in, the bound statement goes to review like any other.
  const fromTemplateForm = analyst.getByRole('form', { name: 'Submit Customer by id' });
  await fromTemplateForm.getByLabel('Datasource').selectOption({ label: 'crm' });
  await fromTemplateForm.getByLabel(':id').fill('2');
  await fromTemplateForm.getByLabel('Justification').fill('Template run (TICKET-44)');
  await fromTemplateForm.getByRole('button', { name: 'Submit for review' }).click();
  await analyst.waitForURL(/\/queries\/[0-9a-f-]{36}$/);
  await analyst.getByText(/select name from customers where id = 2/).first().waitFor();

  // Routing policies: JSON and condition errors at the field, two policies, a reorder, a simulation per node.
  await admin.getByRole('link', { name: 'Routing policies' }).click();
  await admin.getByText('No routing policy').waitFor();
  const routing = admin.getByRole('form', { name: 'Save a routing policy' });
  const condition = routing.getByLabel('Condition (JSON)');
  await routing.getByLabel('Name').fill('Writes need two');
  await routing.getByLabel('Priority').fill('10');
  await condition.fill('{ "type": ');
  await routing.getByRole('button', { name: 'Save routing policy' }).click();
  await expect.poll(() => condition.getAttribute('aria-invalid'), POLL).toBe('true');
  await routing.getByText(/^condition: not JSON/).waitFor();
  await condition.fill('{ "type": "query_type", "any_of": [] }');
  await routing.getByRole('button', { name: 'Save routing policy' }).click();
  await routing.getByText(/any_of/).first().waitFor();
  expect(await condition.getAttribute('aria-invalid')).toBe('true');
  await condition.fill('{ "type": "query_type", "any_of": ["UPDATE", "DELETE"] }');
  await routing.getByRole('button', { name: 'Save routing policy' }).click();
  await admin.getByRole('status').filter({ hasText: 'Saved Writes need two.' }).waitFor();
  await routing.getByLabel('Name').fill('Small reads pass');
  await routing.getByLabel('Priority').fill('20');
  await routing.getByLabel('Action').selectOption('AUTO_APPROVE');
  await condition.fill('{ "type": "and", "children": [{ "type": "query_type", "any_of": ["SELECT"] }, { "type": "has_limit", "expected": true }] }');
  await routing.getByRole('button', { name: 'Save routing policy' }).click();
  await admin.getByRole('status').filter({ hasText: 'Saved Small reads pass.' }).waitFor();
  const order = admin.getByRole('table', { name: 'Routing policies in evaluation order' });
  await admin.getByRole('button', { name: 'Down Writes need two' }).click();
  await admin.getByRole('status').filter({ hasText: 'Order saved.' }).waitFor();
  await expect.poll(async () => (await order.getByRole('row').nth(1).textContent()) ?? '', POLL).toContain('Small reads pass');
  const simulate = admin.getByRole('form', { name: 'Simulate routing' });
  await simulate.getByLabel('Datasource').selectOption({ label: 'crm' });
  await simulate.getByLabel('Statement').fill('select id from customers limit 5');
  await simulate.getByRole('button', { name: 'Simulate' }).click();
  const simulation = admin.getByTestId('routing-simulation');
  await expect.poll(async () => (await simulation.textContent()) ?? '', POLL).toContain('Decided by Small reads pass: approve');
  expect(await simulation.textContent()).toMatch(/has_limit\s*true/);
  await screen(admin, '20-routing');

  // AI configurations: the key is write-only ("set" / "not set"), a missing key is shown at its field, and the
  // connection test reaches the model (a double of Anthropic's API).
  await admin.getByRole('link', { name: 'AI configurations' }).click();
  await admin.getByText('No AI configuration yet').waitFor();
  const ai = admin.getByRole('form', { name: 'Save an AI configuration' });
  await ai.getByLabel('Name').fill('claude');
  await ai.getByLabel('Provider').selectOption('ANTHROPIC');
  await ai.getByLabel('Model').fill('claude-test');
  await ai.getByLabel('Endpoint').fill(llm.url);
  await ai.getByRole('button', { name: 'Save AI configuration' }).click();
  await expect.poll(() => ai.getByLabel('API key').getAttribute('aria-invalid'), POLL).toBe('true');
  await ai.getByLabel('API key').fill(LLM_KEY);
  await ai.getByRole('button', { name: 'Save AI configuration' }).click();
  await admin.getByRole('cell', { name: 'set (version 1)' }).waitFor();
  await admin.getByRole('button', { name: 'Test connection of claude' }).click();
  await expect.poll(async () => (await admin.getByTestId('ai-check').textContent()) ?? '', POLL).toMatch(/^Answered in \d+ ms/);
  // Saving other fields keeps the stored key; the key is never on the page.
  await admin.getByRole('button', { name: 'Edit claude' }).click();
  expect(await ai.getByLabel('API key').inputValue()).toBe('');
  await ai.getByText('A key is set').waitFor();
  await ai.getByLabel('Timeout (ms)').fill('20000');
  await ai.getByRole('button', { name: 'Save AI configuration' }).click();
  await admin.getByRole('status').filter({ hasText: 'Saved claude.' }).waitFor();
  await admin.getByRole('cell', { name: 'set (version 1)' }).waitFor();
  expect(await admin.content()).not.toContain(LLM_KEY);
  await screen(admin, '21-ai-configs');

  // Notification channels: a bad webhook URL at its field, then a Slack channel whose secret URL is only ever
  // "set", a test message the Slack double receives, and an edit that keeps the stored URL.
  const slackUrl = `${chat.url}/slack/services/T000/B000/console-secret-token`;
  await admin.getByRole('link', { name: 'Notification channels' }).click();
  await admin.getByText('No notification channel yet').waitFor();
  const channel = admin.getByRole('form', { name: 'Save a notification channel' });
  await channel.getByLabel('Name').fill('ops-slack');
  await channel.getByLabel('Type').selectOption('SLACK');
  await channel.getByLabel('Webhook URL').fill('not a url');
  await channel.getByRole('button', { name: 'Save channel' }).click();
  await expect.poll(() => channel.getByLabel('Webhook URL').getAttribute('aria-invalid'), POLL).toBe('true');
  await channel.getByLabel('Webhook URL').fill(slackUrl);
  await channel.getByRole('button', { name: 'Save channel' }).click();
  await admin.getByRole('cell', { name: 'Webhook URL: set' }).waitFor();
  await admin.getByRole('button', { name: 'Send a test to ops-slack' }).click();
  await expect.poll(async () => (await admin.getByTestId('channel-check').textContent()) ?? '', POLL).toMatch(/^Test message delivered/);
  expect(chat.received.filter((r) => r.service === 'slack')).toHaveLength(1);
  await admin.getByRole('button', { name: 'Edit ops-slack' }).click();
  await channel.getByText('Set; leave empty to keep it.').waitFor();
  await channel.getByLabel('Every event of the organization').check();
  await channel.getByRole('button', { name: 'Save channel' }).click();
  await admin.getByRole('cell', { name: 'every event' }).waitFor();
  await admin.getByRole('button', { name: 'Send a test to ops-slack' }).click();
  await expect.poll(() => chat.received.filter((r) => r.service === 'slack').length, POLL).toBe(2);
  expect(await admin.content()).not.toContain('console-secret-token');
  await screen(admin, '22-notification-channels');

  await admin.getByRole('link', { name: 'Review plans' }).click();
  await admin.getByText('No review plan yet').waitFor();
  // A plan from a template that notifies ops-slack; editing it shows the channel picked (saving sends it again).
  const fromTemplate = admin.getByLabel('New from template');
  await fromTemplate.selectOption({ index: 1 });
  await admin.getByLabel('Name', { exact: true }).fill('with-slack');
  await admin.getByLabel('Notify channels').selectOption({ label: 'ops-slack' });
  await admin.getByRole('button', { name: 'Save', exact: true }).click();
  await admin.getByRole('status').filter({ hasText: 'Saved with-slack.' }).waitFor();
  await admin.getByRole('button', { name: 'Edit with-slack' }).click();
  await expect.poll(() => admin.getByLabel('Notify channels').evaluate((select: HTMLSelectElement) => [...select.selectedOptions].map((o) => o.text)), POLL).toEqual(['ops-slack']);
  await screen(admin, '14-review-plans');
}

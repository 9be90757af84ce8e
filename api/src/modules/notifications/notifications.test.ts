/**
 * Notification channels and deliveries against real parts: PostgreSQL for the store and the target, a real SMTP
 * server (smtp-server) receiving real mail from nodemailer, and one double HTTP server speaking the wire formats
 * of Slack, Discord, Teams, Telegram and PagerDuty (services this machine cannot reach). The job is run by
 * calling it (`runOnce`) with a clock moved forward, so retries take no real minutes.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startChatWebhooksDouble, TELEGRAM_CHAT, TELEGRAM_TOKEN, type ChatWebhooksDouble } from '../../../test/doubles/chat-webhooks-double.ts';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createOrg, createTestApp, createUserWithKey, ok, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { workflow } from '../requests/requests.fixture.ts';

const KEYS = {
  JWT_SIGNING_KEY: randomBytes(32).toString('hex'),
  AUDIT_HMAC_KEY: randomBytes(32).toString('hex'),
  ENCRYPTION_KEY: randomBytes(32).toString('hex'),
};
const WEBHOOK_SECRET = 'whsec-0123456789abcdef-secret';
const SLACK_TOKEN = 'T000/B000/slack-token-XXXXXXXX';
const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';
const SMTP_PASSWORD = 'smtp-password-never-shown';

let t: TestApp;
let org: Org;
let other: Org;
let double: ChatWebhooksDouble;
let smtp: SMTPServer;
let smtpPort: number;
const mail: { from: string; to: string[]; raw: string; user: string | null }[] = [];
let logs = '';
/** The same notification settings on every replica (retries after 10 ms; the run's clock is moved anyway). */
const NOTIFICATION_ENV = () => ({
  NOTIFICATION_RETRY_DELAYS_MS: '10,10,10',
  NOTIFICATION_TIMEOUT_MS: '2000',
  PUBLIC_URL: 'https://accessflow.example.test/',
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(smtpPort),
  SMTP_FROM: 'AccessFlow <af@example.test>',
});
let analyst: Caller & { id: string };
let reviewer: Caller & { id: string };
let datasourceId: string;
let { submit, decide, execute, mutate } = {} as ReturnType<typeof workflow>;

const CHANNEL = 'id name channelType config secretKeys secretsVersion allEvents active';
type Channel = { id: string; name: string; channelType: string; config: Record<string, string>; secretKeys: string[]; secretsVersion: number; allEvents: boolean; active: boolean };
/** The secret keys of every channel type (docs/notifications.md). */
const SECRET = new Set(['webhook_url', 'secret', 'bot_token', 'routing_key', 'smtp_password']);
/** An input whose `config` holds every key, split into `config` and `secrets` as the API takes them. */
function split(input: Record<string, unknown>): Record<string, unknown> {
  if (!input['config'] || 'secrets' in input) return input;
  const entries = Object.entries(input['config'] as Record<string, string | null>);
  const secrets = entries.filter(([key]) => SECRET.has(key));
  return { ...input, config: Object.fromEntries(entries.filter(([key]) => !SECRET.has(key))), ...(secrets.length ? { secrets: Object.fromEntries(secrets) } : {}) };
}
type Outcome<T> = { __typename: string; data?: T; code?: string; message?: string; issues?: { path: string; message: string }[] };

const upsert = async (input: Record<string, unknown>, caller: Caller = org.admin) =>
  ok(await t.gql<{ upsertNotificationChannel: Outcome<Channel> }>(
    `mutation($input: UpsertNotificationChannelInput!) { upsertNotificationChannel(input: $input) { __typename
      ... on MutationUpsertNotificationChannelSuccess { data { ${CHANNEL} } } ... on Error { code message } ... on ValidationError { issues { path message } } } }`,
    { input: split(input) }, caller)).upsertNotificationChannel;
const created = async (input: Record<string, unknown>): Promise<Channel> => {
  const result = await upsert(input);
  if (!result.data) throw new Error(`upsertNotificationChannel: ${result.__typename} ${result.message}`);
  return result.data;
};
const testChannel = async (id: string, caller: Caller = org.admin) =>
  ok(await t.gql<{ testNotificationChannel: Outcome<{ ok: boolean; message: string }> }>(
    `mutation($id: ID!) { testNotificationChannel(id: $id) { __typename ... on MutationTestNotificationChannelSuccess { data { ok message } } ... on Error { code message } } }`, { id }, caller)).testNotificationChannel;
type DeliveryRow = { event: string; status: string; attempts: number; lastError: string | null; message: { link: string | null; details: Record<string, unknown>; event: string } };
const deliveries = async (channelId: string, status?: string): Promise<DeliveryRow[]> =>
  ok(await t.gql<{ notificationDeliveries: { edges: { node: DeliveryRow }[] } }>(
    `query($c: ID, $s: NotificationDeliveryStatus) { notificationDeliveries(channelId: $c, status: $s, first: 100) { edges { node { event status attempts lastError message } } } }`,
    { c: channelId, s: status ?? null }, org.admin)).notificationDeliveries.edges.map((e) => e.node).reverse();
/** One run of the job on this replica, its clock a minute ahead (retry delays here are milliseconds). */
const run = (app: TestApp = t) => app.app.services.notifications.runOnce(new Date(Date.now() + 60_000));

beforeAll(async () => {
  double = await startChatWebhooksDouble();
  smtp = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    onAuth: (auth, _session, callback) => (auth.password === SMTP_PASSWORD ? callback(null, { user: auth.username }) : callback(new Error('Invalid username or password'))),
    onData: (stream, session, callback) => {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      stream.on('end', () => {
        mail.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, user: (session.user as string | undefined) ?? null });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => ((logs += chunk.toString()), done()) });
  t = await createTestApp({
    env: { ...KEYS, ...NOTIFICATION_ENV() },
    log: pino({ level: 'trace' }, sink),
  });
  ({ submit, decide, execute, mutate } = workflow(t, () => datasourceId));
  org = await setupFirstOrg(t);
  other = await createOrg(t, org.admin, 'Globex', 'admin@globex.test');
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  reviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer@acme.test');
});
afterAll(async () => {
  if (process.env['SHOW_LOGS']) console.log(logs.split('\n').filter((l) => l.includes('"level":50')).join('\n'));
  await t.close();
  await double.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('channels: refused first', () => {
  it('is for admins only: a reviewer is Forbidden and nothing is stored', async () => {
    const result = await t.gql(`mutation { upsertNotificationChannel(input: { name: "x", channelType: SLACK, config: { webhook_url: "${double.url}/slack/services/x" } }) { __typename } }`, undefined, reviewer);
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const read = await t.gql('{ notificationChannels(first: 5) { edges { node { id } } } }', undefined, reviewer);
    expect(read.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(Number((await superuserQuery<{ n: string }>(t.databaseUrl!, 'select count(*) as n from notification_channels'))[0]!.n)).toBe(0);
  });

  it.each([
    ['SLACK', { webhook_url: 'not a url' }, 'secrets.webhook_url'],
    ['SLACK', {}, 'secrets.webhook_url'],
    ['SLACK', { webhook_url: 'https://hooks.slack.test/x', channel: '#x' }, 'config.channel'],
    ['DISCORD', { webhook_url: 'ftp://discord.test/x' }, 'secrets.webhook_url'],
    ['MS_TEAMS', { url: 'https://teams.test/x' }, 'config.url'],
    ['WEBHOOK', { url: 'https://hook.test/x', secret: 'short' }, 'secrets.secret'],
    ['WEBHOOK', { url: 'https://user:pw@hook.test/x', secret: WEBHOOK_SECRET }, 'config.url'],
    ['EMAIL', { to: 'not-an-address' }, 'config.to'],
    ['EMAIL', { to: 'a@example.test', smtp_port: '99999' }, 'config.smtp_port'],
    ['TELEGRAM', { bot_token: 'nocolon', chat_id: TELEGRAM_CHAT }, 'secrets.bot_token'],
    ['TELEGRAM', { bot_token: TELEGRAM_TOKEN }, 'config.chat_id'],
    ['PAGERDUTY', { routing_key: 'too-short' }, 'secrets.routing_key'],
    ['SLACK', { config: { webhook_url: 'https://hooks.slack.test/x' }, secrets: {} }, 'config.webhook_url'],
    ['WEBHOOK', { config: { url: 'https://hook.test/x' }, secrets: { url: 'https://hook.test/y', secret: WEBHOOK_SECRET } }, 'secrets.url'],
  ])('refuses an invalid %s config %j (a ValidationError at %s) and stores nothing', async (channelType, config, path) => {
    const result = await upsert('secrets' in config ? { name: 'bad', channelType, ...config } : { name: 'bad', channelType, config });
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues!.map((i) => i.path)).toContain(path);
    // The message never repeats a value (it might be a secret).
    for (const value of Object.values(config).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v)))) expect(result.message).not.toContain(value);
    expect(ok(await t.gql<{ notificationChannelByName: null }>('{ notificationChannelByName(name: "bad") { id } }', undefined, org.admin)).notificationChannelByName).toBeNull();
  });

  it("keeps organizations apart: another org's admin neither reads, tests, deletes nor routes to a channel", async () => {
    const channel = await created({ name: 'acme-only', channelType: 'WEBHOOK', config: { url: `${double.url}/webhook/acme`, secret: WEBHOOK_SECRET } });
    expect(ok(await t.gql<{ notificationChannel: null }>('query($id: ID!) { notificationChannel(id: $id) { id } }', { id: channel.id }, other.admin)).notificationChannel).toBeNull();
    expect((await testChannel(channel.id, other.admin)).__typename).toBe('NotFound');
    const deleted = ok(await t.gql<{ deleteNotificationChannel: { __typename: string } }>('mutation($id: ID!) { deleteNotificationChannel(id: $id) { __typename } }', { id: channel.id }, other.admin));
    expect(deleted.deleteNotificationChannel.__typename).toBe('NotFound');
    const plan = ok(await t.gql<{ upsertReviewPlan: Outcome<unknown> }>(
      'mutation($ids: [ID!]) { upsertReviewPlan(input: { name: "theirs", notifyChannelIds: $ids }) { __typename ... on Error { message } } }', { ids: [channel.id] }, other.admin));
    expect(plan.upsertReviewPlan.__typename).toBe('ValidationError');
    expect(double.received.filter((r) => r.path === '/webhook/acme')).toHaveLength(0);
  });
});

describe('channels: secrets are write-only', () => {
  it('never returns a secret, counts secret changes, keeps the stored secrets when none are given, and never shows one anywhere', async () => {
    const first = await created({ name: 'alerts', channelType: 'SLACK', config: { webhook_url: `${double.url}/slack/services/${SLACK_TOKEN}` } });
    expect(first).toMatchObject({ channelType: 'SLACK', config: {}, secretKeys: ['webhook_url'], secretsVersion: 1, allEvents: false, active: true });
    const same = await created({ name: 'alerts', channelType: 'SLACK', config: { webhook_url: `${double.url}/slack/services/${SLACK_TOKEN}` } });
    expect(same).toMatchObject({ id: first.id, secretsVersion: 1 });
    const kept = await created({ name: 'alerts', channelType: 'SLACK', config: {}, active: false });
    expect(kept).toMatchObject({ id: first.id, secretKeys: ['webhook_url'], secretsVersion: 1, active: false });
    const rotated = await created({ name: 'alerts', channelType: 'SLACK', config: { webhook_url: `${double.url}/slack/services/${SLACK_TOKEN}-2` } });
    expect(rotated).toMatchObject({ id: first.id, secretsVersion: 2, active: true });
    const email = await created({ name: 'mail', channelType: 'EMAIL', config: { to: 'ops@example.test', smtp_host: '127.0.0.1', smtp_port: String(smtpPort), smtp_user: 'af', smtp_password: SMTP_PASSWORD } });
    expect(email).toMatchObject({ config: { to: 'ops@example.test', smtp_host: '127.0.0.1', smtp_port: String(smtpPort), smtp_user: 'af' }, secretKeys: ['smtp_password'] });
    // Stored secrets never go to a new address: another SMTP host needs the password again, and nothing changes.
    const moved = await upsert({ name: 'mail', channelType: 'EMAIL', config: { to: 'ops@example.test', smtp_host: '127.0.0.2', smtp_port: String(smtpPort), smtp_user: 'af' } });
    expect(moved.__typename).toBe('ValidationError');
    expect(moved.issues).toEqual([{ path: 'secrets', message: 'must be given again when smtp_host changes: stored secrets are never sent to a new address' }]);
    expect(await superuserQuery(t.databaseUrl!, "select settings->>'smtp_host' as host from notification_channels where name = 'mail'")).toEqual([{ host: '127.0.0.1' }]);
    // Another type's stored secrets do not carry over.
    const retyped = await upsert({ name: 'alerts', channelType: 'DISCORD', config: {} });
    expect(retyped.__typename).toBe('ValidationError');
    expect(retyped.issues).toEqual([{ path: 'secrets.webhook_url', message: 'is required' }]);

    const checked = await testChannel(email.id);
    expect(checked.data).toEqual({ ok: true, message: 'delivered' });
    const stored = await superuserQuery<{ row: string }>(t.databaseUrl!, `select row_to_json(c)::text as row from notification_channels c`);
    const audit = await superuserQuery<{ row: string }>(t.databaseUrl!, `select row_to_json(a)::text as row from audit_events a where action like 'NOTIFICATION%'`);
    const listed = JSON.stringify(await t.gql(`{ notificationChannels(first: 50) { edges { node { ${CHANNEL} } } } }`, undefined, org.admin));
    for (const secret of [SLACK_TOKEN, SMTP_PASSWORD]) {
      for (const text of [JSON.stringify(stored), JSON.stringify(audit), listed, logs]) expect(text).not.toContain(secret);
    }
    expect(audit.length).toBeGreaterThanOrEqual(6);
  });
});

describe('test messages in each service format', () => {
  it('reaches Slack, Discord, Teams, Telegram and PagerDuty (the double checks their formats) and email over SMTP', async () => {
    const channels = await Promise.all([
      created({ name: 't-slack', channelType: 'SLACK', config: { webhook_url: `${double.url}/slack/services/T1/B1/x` } }),
      created({ name: 't-discord', channelType: 'DISCORD', config: { webhook_url: `${double.url}/discord/webhooks/1/tok` } }),
      created({ name: 't-teams', channelType: 'MS_TEAMS', config: { webhook_url: `${double.url}/teams/workflows/tok` } }),
      created({ name: 't-telegram', channelType: 'TELEGRAM', config: { bot_token: TELEGRAM_TOKEN, chat_id: TELEGRAM_CHAT, api_url: `${double.url}/telegram` } }),
      created({ name: 't-pagerduty', channelType: 'PAGERDUTY', config: { routing_key: ROUTING_KEY, api_url: `${double.url}/pagerduty` } }),
      created({ name: 't-system-mail', channelType: 'EMAIL', config: { to: 'dba@example.test, lead@example.test' } }),
    ]);
    for (const channel of channels) expect({ name: channel.name, ...(await testChannel(channel.id)).data }).toEqual({ name: channel.name, ok: true, message: 'delivered' });
    const systemMail = mail.at(-1)!;
    expect(systemMail).toMatchObject({ from: 'af@example.test', to: ['dba@example.test', 'lead@example.test'], user: null });
    expect(systemMail.raw).toContain('Subject: [AccessFlow] Test notification');
    const pagerDuty = double.received.find((r) => r.service === 'pagerduty')!;
    expect(pagerDuty.json).toMatchObject({ routing_key: ROUTING_KEY, event_action: 'trigger', payload: { source: 'accessflow', severity: 'warning' } });
  });

  it('reports what a service answered when it refuses, without the token', async () => {
    const wrong = await created({ name: 't-telegram-wrong', channelType: 'TELEGRAM', config: { bot_token: '999:wrong-token-value', chat_id: TELEGRAM_CHAT, api_url: `${double.url}/telegram` } });
    const result = (await testChannel(wrong.id)).data!;
    expect(result.ok).toBe(false);
    expect(result.message).toContain('HTTP 401');
    expect(result.message).not.toContain('wrong-token-value');
    const closed = await created({ name: 't-closed', channelType: 'SLACK', config: { webhook_url: 'http://127.0.0.1:9/slack/services/secret-path-token' } });
    const refused = (await testChannel(closed.id)).data!;
    expect(refused).toMatchObject({ ok: false });
    expect(refused.message).toMatch(/could not connect/);
    expect(refused.message).not.toContain('secret-path-token');
  });
});

describe('events become deliveries', () => {
  let hook: Channel;
  let quiet: Channel;
  let planId: string;
  let targetUrl: string;

  beforeAll(async () => {
    // Earlier tests' channels must not receive these events: only the ones made here are active.
    await superuserQuery(t.databaseUrl!, 'update notification_channels set active = false');
    hook = await created({ name: 'signed', channelType: 'WEBHOOK', config: { url: `${double.url}/webhook/signed`, secret: WEBHOOK_SECRET } });
    await created({ name: 'everything', channelType: 'SLACK', config: { webhook_url: `${double.url}/slack/services/all` }, allEvents: true });
    quiet = await created({ name: 'quiet', channelType: 'DISCORD', config: { webhook_url: `${double.url}/discord/webhooks/2/quiet` } });
    const unknown = ok(await t.gql<{ upsertReviewPlan: Outcome<unknown> }>(
      'mutation($ids: [ID!]) { upsertReviewPlan(input: { name: "bad", notifyChannelIds: $ids }) { __typename } }', { ids: ['00000000-0000-4000-8000-000000000000'] }, org.admin));
    expect(unknown.upsertReviewPlan.__typename).toBe('ValidationError');
    const plan = ok(await t.gql<{ upsertReviewPlan: Outcome<{ id: string; notifyChannelIds: string[] }> }>(
      'mutation($ids: [ID!]) { upsertReviewPlan(input: { name: "writes", autoApproveReads: true, notifyChannelIds: $ids }) { __typename ... on MutationUpsertReviewPlanSuccess { data { id notifyChannelIds } } } }',
      { ids: [hook.id] }, org.admin)).upsertReviewPlan.data!;
    expect(plan.notifyChannelIds).toEqual([hook.id]);
    planId = plan.id;
    targetUrl = await createPostgresDatabase(inject('postgresUrl'));
    await superuserQuery(targetUrl, "create table accounts (id int primary key, tier text); insert into accounts select i, 'basic' from generate_series(1, 5) i");
    const url = new URL(targetUrl);
    const ds = await mutate<{ id: string }>('upsertDatasource',
      'mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { message } } }',
      { input: { name: 'billing', dbType: 'POSTGRESQL', host: url.hostname, port: Number(url.port), databaseName: url.pathname.slice(1), username: 'postgres', password: 'unused', reviewPlanId: planId } }, org.admin);
    datasourceId = ds.data!.id;
    await mutate('upsertGrant', 'mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }',
      { input: { datasourceId, userId: analyst.id, canRead: true, canWrite: true, canBreakGlass: true, allowedSchemas: ['public'] } }, org.admin);
    await run(); // places the organization's cursor
    double.received.length = 0;
  });

  it('announces submit → approve → execute with a verifiable signature and a console link, no data and no literals', async () => {
    const mailsBefore = mail.length;
    const submitted = (await submit("update accounts set tier = 'gold-secret-literal' where id = 1", analyst)).data!;
    expect(submitted.status).toBe('PENDING_REVIEW');
    expect((await decide(submitted.id, 'APPROVE', reviewer)).data!.status).toBe('APPROVED');
    expect((await execute(submitted.id, analyst)).data!.status).toBe('EXECUTED');
    const read = (await submit('select * from accounts', analyst)).data!;
    expect(read.status).toBe('APPROVED'); // auto-approved read: neither it nor its run is announced
    expect((await execute(read.id, analyst)).data!.status).toBe('EXECUTED');
    await run();

    const signed = double.received.filter((r) => r.path === '/webhook/signed');
    expect(signed.map((r) => r.json!['event'])).toEqual(['REVIEW_REQUESTED', 'APPROVED', 'EXECUTED']);
    for (const request of signed) {
      const expected = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(request.rawBody).digest('hex')}`;
      expect(request.headers['x-accessflow-signature']).toBe(expected);
      expect(Number(request.headers['x-accessflow-timestamp'])).toBe(request.json!['timestamp']);
      expect(request.json).toMatchObject({ link: `https://accessflow.example.test/queries/${submitted.id}`, targetId: submitted.id, details: { datasource: 'billing', statement: "update accounts set tier = '?' where id = ?" } });
      expect(request.rawBody).not.toContain('gold-secret-literal');
      expect(request.rawBody).not.toContain(WEBHOOK_SECRET);
    }
    // The all-events channel heard the same; the channel no plan names heard nothing.
    expect(double.received.filter((r) => r.service === 'slack').map((r) => (r.json!['blocks'] as { text?: { text: string } }[])[0]!.text!.text)).toEqual(['Query waiting for review', 'Query approved', 'Query executed']);
    expect(double.received.filter((r) => r.service === 'discord')).toHaveLength(0);
    expect((await deliveries(hook.id)).map((d) => [d.event, d.status, d.attempts])).toEqual([['REVIEW_REQUESTED', 'DELIVERED', 1], ['APPROVED', 'DELIVERED', 1], ['EXECUTED', 'DELIVERED', 1]]);
    // The approvers of the stage (any reviewer or admin: the plan names none), the submitter aside, got a mail.
    const mailed = mail.slice(mailsBefore);
    expect(mailed.map((m) => m.to[0]).sort()).toEqual(['admin@acme.test', 'reviewer@acme.test']);
    for (const m of mailed) {
      expect(m.raw).toContain('Subject: [AccessFlow] Query waiting for review');
      expect(m.raw).toContain(`https://accessflow.example.test/queries/${submitted.id}`);
      expect(m.raw).not.toContain('gold-secret-literal');
    }
    // Nothing new: a second run sends nothing again.
    await run();
    expect(double.received.filter((r) => r.path === '/webhook/signed')).toHaveLength(3);
  });

  it('retries a 500 and then delivers; a dead endpoint ends DEAD after the retries and the request is unaffected', async () => {
    double.failNext('/webhook/signed', 1, 500);
    const dead = await created({ name: 'dead', channelType: 'WEBHOOK', config: { url: 'http://127.0.0.1:9/hook', secret: WEBHOOK_SECRET } });
    await created({ name: 'writes-dead', channelType: 'WEBHOOK', config: { url: 'http://127.0.0.1:9/hook', secret: WEBHOOK_SECRET } });
    ok(await t.gql('mutation($ids: [ID!]) { upsertReviewPlan(input: { name: "writes", autoApproveReads: true, notifyChannelIds: $ids }) { __typename } }', { ids: [hook.id, dead.id] }, org.admin));
    const submitted = (await submit('update accounts set tier = tier where id = 2', analyst)).data!;
    expect(submitted.status).toBe('PENDING_REVIEW');

    await run();
    const [first] = await deliveries(hook.id, 'PENDING');
    expect(first).toMatchObject({ event: 'REVIEW_REQUESTED', attempts: 1, lastError: 'HTTP 500: injected failure' });
    await run();
    expect(await deliveries(hook.id, 'PENDING')).toEqual([]);
    expect((await deliveries(hook.id, 'DELIVERED')).filter((d) => d.attempts === 2)).toMatchObject([{ event: 'REVIEW_REQUESTED', lastError: null }]);

    for (let i = 0; i < 3; i += 1) await run();
    const [gone] = await deliveries(dead.id);
    expect(gone).toMatchObject({ event: 'REVIEW_REQUESTED', status: 'DEAD', attempts: 4 });
    expect(gone!.lastError).toMatch(/could not connect/);
    expect((await decide(submitted.id, 'APPROVE', reviewer)).data!.status).toBe('APPROVED');
    expect((await execute(submitted.id, analyst)).data!.status).toBe('EXECUTED');
    // Deleting a channel a plan names is refused.
    const refused = ok(await t.gql<{ deleteNotificationChannel: { __typename: string } }>('mutation($id: ID!) { deleteNotificationChannel(id: $id) { __typename } }', { id: dead.id }, org.admin));
    expect(refused.deleteNotificationChannel.__typename).toBe('Conflict');
    ok(await t.gql('mutation($ids: [ID!]) { upsertReviewPlan(input: { name: "writes", autoApproveReads: true, notifyChannelIds: $ids }) { __typename } }', { ids: [hook.id] }, org.admin));
    await run();
  });

  it('announces a break-glass run to every active channel, the unnamed one included', async () => {
    double.received.length = 0;
    const response = await mutate<{ id: string }>('breakGlassQuery',
      'mutation($input: BreakGlassQueryInput!) { breakGlassQuery(input: $input) { __typename ... on MutationBreakGlassQuerySuccess { data { id } } ... on Error { message } } }',
      { input: { datasourceId, query: "update accounts set tier = 'x' where id = 3", justification: 'INC-1: checkout is down' } }, analyst);
    expect(response.data).toBeDefined();
    await run();
    const services = double.received.filter((r) => JSON.stringify(r.json).includes('BREAK-GLASS')).map((r) => r.service).sort();
    expect(services).toEqual(['discord', 'slack', 'webhook']);
    expect((await deliveries(quiet.id)).map((d) => d.event)).toEqual(['BREAK_GLASS_USED']);
  });

  it('announces a review that timed out, and just-in-time access requested and decided', async () => {
    double.received.length = 0;
    const waiting = (await submit('update accounts set tier = tier where id = 4', analyst)).data!;
    // The plan's approval timeout (24 h) has passed for the sweep that runs a day later.
    const swept = await t.app.services.queryRequests.processDue(new Date(Date.now() + 25 * 3_600_000));
    expect(swept.timedOut).toBeGreaterThanOrEqual(1);
    const access = await mutate<{ id: string }>('requestAccess',
      'mutation($input: RequestAccessInput!) { requestAccess(input: $input) { __typename ... on MutationRequestAccessSuccess { data { id } } ... on Error { message } } }',
      { input: { datasourceId, canRead: true, durationMinutes: 30, justification: 'investigating ticket 77' } }, analyst);
    await mutate('decideAccessRequest', 'mutation($input: DecideAccessRequestInput!) { decideAccessRequest(input: $input) { __typename ... on Error { message } } }',
      { input: { requestId: access.data!.id, decision: 'REJECT', comment: 'use the report instead' } }, reviewer);
    await run();
    const heard = double.received.filter((r) => r.path === '/webhook/signed').map((r) => [r.json!['event'], r.json!['targetId']]);
    expect(heard).toEqual([['REVIEW_REQUESTED', waiting.id], ['TIMED_OUT', waiting.id], ['ACCESS_REQUESTED', access.data!.id], ['ACCESS_DECIDED', access.data!.id]]);
    const decided = double.received.find((r) => r.path === '/webhook/signed' && r.json!['event'] === 'ACCESS_DECIDED')!;
    expect(decided.json).toMatchObject({ link: 'https://accessflow.example.test/access', details: { status: 'REJECTED', durationMinutes: 30 } });
    expect(decided.rawBody).not.toContain('use the report instead');
  });

  it('two replicas running the job at once deliver each event once', async () => {
    const replica = await createTestApp({ env: { ...KEYS, ...NOTIFICATION_ENV(), DATABASE_URL: t.databaseUrl! } });
    try {
      double.received.length = 0;
      const mailsBefore = mail.length;
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1) ids.push((await submit(`update accounts set tier = tier where id = ${i + 1}`, analyst)).data!.id);
      await Promise.all([run(), run(replica), run(), run(replica)]);
      await Promise.all([run(), run(replica)]);
      const signed = double.received.filter((r) => r.path === '/webhook/signed').map((r) => r.json!['targetId']);
      expect(signed.sort()).toEqual([...ids].sort());
      const slack = double.received.filter((r) => r.service === 'slack');
      expect(slack).toHaveLength(5);
      // Two approvers per request, each mailed once.
      const mailed = mail.slice(mailsBefore).map((m) => `${m.to[0]} ${ids.find((id) => m.raw.includes(id))}`);
      expect(mailed).toHaveLength(10);
      expect(new Set(mailed).size).toBe(10);
    } finally {
      await replica.close();
    }
  });

  it("runs as the server's job: a started replica delivers on its own, linking to its own address without PUBLIC_URL", async () => {
    const { PUBLIC_URL: _unset, ...env } = NOTIFICATION_ENV();
    const replica = await createTestApp({ env: { ...KEYS, ...env, DATABASE_URL: t.databaseUrl!, JOBS_INTERVAL_MS: '200' } });
    try {
      const address = await replica.app.start();
      double.received.length = 0;
      const submitted = (await submit('update accounts set tier = tier where id = 5', analyst)).data!;
      const deadline = Date.now() + 20_000;
      while (!double.received.some((r) => r.path === '/webhook/signed') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const signed = double.received.filter((r) => r.path === '/webhook/signed');
      expect(signed.map((r) => r.json!['link'])).toEqual([`${address}/queries/${submitted.id}`]);
    } finally {
      await replica.close();
    }
  });

  it('mails the approvers of an organization that has no channel at all', async () => {
    const globexAnalyst = await createUserWithKey(t, other.admin, 'ANALYST', 'analyst@globex.test');
    const url = new URL(targetUrl);
    const ds = await mutate<{ id: string }>('upsertDatasource',
      'mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { message } } }',
      { input: { name: 'globex-db', dbType: 'POSTGRESQL', host: url.hostname, port: Number(url.port), databaseName: url.pathname.slice(1), username: 'postgres', password: 'unused' } }, other.admin);
    await mutate('upsertGrant', 'mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }',
      { input: { datasourceId: ds.data!.id, userId: globexAnalyst.id, canRead: true, canWrite: true, allowedSchemas: ['public'] } }, other.admin);
    await run(); // the organization's first visit places its cursor at its newest event
    const mailsBefore = mail.length;
    const submitted = await mutate<{ id: string; status: string }>('submitQuery',
      'mutation($input: SubmitQueryInput!) { submitQuery(input: $input) { __typename ... on MutationSubmitQuerySuccess { data { id status } } ... on Error { message } } }',
      { input: { datasourceId: ds.data!.id, query: 'update accounts set tier = tier where id = 1', justification: 'test' } }, globexAnalyst);
    expect(submitted.data!.status).toBe('PENDING_REVIEW');
    await run();
    const mailed = mail.slice(mailsBefore);
    expect(mailed.map((m) => m.to[0])).toEqual(['admin@globex.test']);
    expect(mailed[0]!.raw).toContain(submitted.data!.id);
  });
});

it('never wrote a secret to the server log, through everything above', () => {
  expect(logs.length).toBeGreaterThan(0);
  for (const secret of [SLACK_TOKEN, SMTP_PASSWORD, WEBHOOK_SECRET, ROUTING_KEY, TELEGRAM_TOKEN, 'wrong-token-value', 'secret-path-token']) expect(logs).not.toContain(secret);
});

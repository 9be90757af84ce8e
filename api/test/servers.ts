/**
 * Real database servers for the test suite: PostgreSQL 15, MariaDB 10.11 and
 * Redis 7, run from the Debian packages' binaries on free loopback ports, each
 * in its own directory under one throw-away directory in /tmp.
 *
 * Servers are stopped by PID (SIGINT for PostgreSQL, SIGTERM for MariaDB and
 * Redis) and waited for before the directory is removed. If `stop()` is never
 * called, a process 'exit' hook stops them synchronously instead.
 *
 * When running as root (CI), PostgreSQL and MariaDB run as the `postgres` and
 * `mysql` service users; otherwise everything runs as the current user.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { delimiter, isAbsolute, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';

export interface TestServers {
  /** Superuser URL to the `postgres` database, e.g. postgresql://postgres@127.0.0.1:PORT/postgres */
  readonly postgresUrl: string;
  /** mysql://accessflow:PASSWORD@127.0.0.1:PORT/ — a user with all privileges, WITH GRANT OPTION. */
  readonly mariadbUrl: string;
  /** PEM of the self-signed certificate each server presents (for 127.0.0.1): no client trusts it unless given it. */
  readonly postgresCertificate: string;
  readonly mariadbCertificate: string;
  /** redis://127.0.0.1:PORT */
  readonly redisUrl: string;
  /** Stops the three servers, waits until they are gone, removes their files. Idempotent. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const KILL_TIMEOUT_MS = 5_000;
const RUNNING_AS_ROOT = process.getuid?.() === 0;
const PG_BIN = '/usr/lib/postgresql/15/bin';

/** Every binary the servers need, and the Debian package that ships it. */
const BINARIES = {
  initdb: { command: `${PG_BIN}/initdb`, debianPackage: 'postgresql-15' },
  pgCtl: { command: `${PG_BIN}/pg_ctl`, debianPackage: 'postgresql-15' },
  mariadbInstallDb: { command: 'mariadb-install-db', debianPackage: 'mariadb-server' },
  mariadbd: { command: 'mariadbd', debianPackage: 'mariadb-server' },
  mariadbAdmin: { command: 'mariadb-admin', debianPackage: 'mariadb-server' },
  mariadb: { command: 'mariadb', debianPackage: 'mariadb-server' },
  redisServer: { command: 'redis-server', debianPackage: 'redis-server' },
  runuser: { command: 'runuser', debianPackage: 'util-linux' },
  openssl: { command: 'openssl', debianPackage: 'openssl' },
} as const;

type Binaries = Record<keyof typeof BINARIES, string>;

/** A server process to stop: `signal` asks it to shut down cleanly. */
interface TrackedProcess {
  readonly what: string;
  readonly pid: number;
  readonly signal: NodeJS.Signals;
}

/** Everything one `startTestServers()` call created, so it can all be undone. */
interface Session {
  readonly root: string;
  readonly processes: TrackedProcess[];
  readonly onExit: () => void;
  stopping?: Promise<void>;
}

export async function startTestServers(): Promise<TestServers> {
  const bin = resolveBinaries();
  const session = await createSession();
  const [postgres, mariadb, redis] = await Promise.allSettled([
    startPostgres(session, bin),
    startMariadb(session, bin),
    startRedis(session, bin),
  ]);
  if (postgres.status === 'fulfilled' && mariadb.status === 'fulfilled' && redis.status === 'fulfilled') {
    return {
      postgresUrl: postgres.value.url,
      mariadbUrl: mariadb.value.url,
      postgresCertificate: postgres.value.certificate,
      mariadbCertificate: mariadb.value.certificate,
      redisUrl: redis.value,
      stop: () => stopSession(session),
    };
  }
  const failures = [postgres, mariadb, redis].flatMap((result) =>
    result.status === 'rejected' ? [errorMessage(result.reason)] : [],
  );
  await stopSession(session).catch((error: unknown) => failures.push(`while cleaning up: ${errorMessage(error)}`));
  throw new Error(`Could not start the test servers:\n\n${failures.join('\n\n')}`);
}

/** Creates a database with a unique (or the given) name and returns its URL. */
export async function createPostgresDatabase(
  superuserUrl: string,
  name = `test_${randomBytes(8).toString('hex')}`,
): Promise<string> {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(superuserUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

// ---------------------------------------------------------------- servers --

async function startPostgres(session: Session, bin: Binaries): Promise<{ url: string; certificate: string }> {
  const dir = await serviceDir(session, 'postgres', 'postgres');
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  const port = await freePort();
  return withLogTail('PostgreSQL', log, async () => {
    await run(bin, bin.initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], {
      user: 'postgres',
    });
    // TLS next to plain connections (trust authentication accepts both).
    const { certificate, key, pem } = await selfSignedCertificate(bin, dir, 'postgres');
    const settings = [
      '-c ssl=on',
      `-c ssl_cert_file=${certificate}`,
      `-c ssl_key_file=${key}`,
      '-c listen_addresses=127.0.0.1',
      `-p ${port}`,
      `-k ${dir}`,
      '-c max_connections=200',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ];
    const timeoutSeconds = String(START_TIMEOUT_MS / 1000);
    const startError = await run(
      bin,
      bin.pgCtl,
      ['-D', data, '-l', log, '-w', '-t', timeoutSeconds, '-o', settings.join(' '), 'start'],
      { user: 'postgres' },
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    // Track the postmaster even when pg_ctl failed: it may be running anyway.
    const pid = await readPid(join(data, 'postmaster.pid'));
    if (pid !== undefined) session.processes.push({ what: 'PostgreSQL', pid, signal: 'SIGINT' });
    if (startError !== undefined) throw startError;
    if (pid === undefined) throw new Error('pg_ctl reported success but postmaster.pid is missing');
    return { url: `postgresql://postgres@127.0.0.1:${port}/postgres`, certificate: pem };
  });
}

async function startMariadb(session: Session, bin: Binaries): Promise<{ url: string; certificate: string }> {
  const dir = await serviceDir(session, 'mariadb', 'mysql');
  const log = join(dir, 'error.log');
  const port = await freePort();
  // --no-defaults must come first; it keeps /etc/mysql out of the picture.
  // Its own temporary folder: servers bootstrapping at once in the shared /tmp collided on temporary tables.
  const common = ['--no-defaults', `--datadir=${join(dir, 'data')}`, `--tmpdir=${dir}`, ...(RUNNING_AS_ROOT ? ['--user=mysql'] : [])];
  const client = ['--no-defaults', '--host=127.0.0.1', `--port=${port}`, '--user=root', '--connect-timeout=2'];
  return withLogTail('MariaDB', log, async () => {
    await run(bin, bin.mariadbInstallDb, [...common, '--auth-root-authentication-method=normal', '--skip-test-db']);
    const { certificate, key, pem } = await selfSignedCertificate(bin, dir, 'mysql');
    const server = spawnServer(session, 'MariaDB', bin.mariadbd, 'SIGTERM', [
      ...common,
      `--ssl-cert=${certificate}`,
      `--ssl-key=${key}`,
      `--socket=${join(dir, 'mariadb.sock')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${join(dir, 'mariadb.pid')}`,
      `--log-error=${log}`,
      '--skip-log-bin',
      '--innodb-buffer-pool-size=64M',
    ]);
    await waitUntil(
      async () => server.assertRunning() && (await succeeds(bin.mariadbAdmin, [...client, 'ping'])),
      START_TIMEOUT_MS,
      `MariaDB to answer on 127.0.0.1:${port}`,
    );
    const password = randomBytes(16).toString('hex');
    const user = `'accessflow'@'127.0.0.1'`;
    await run(bin, bin.mariadb, [
      ...client,
      `--execute=CREATE USER ${user} IDENTIFIED BY '${password}'; GRANT ALL PRIVILEGES ON *.* TO ${user} WITH GRANT OPTION;`,
    ]);
    return { url: `mysql://accessflow:${password}@127.0.0.1:${port}/`, certificate: pem };
  });
}

async function startRedis(session: Session, bin: Binaries): Promise<string> {
  const dir = await serviceDir(session, 'redis');
  const log = join(dir, 'redis.log');
  const port = await freePort();
  return withLogTail('Redis', log, async () => {
    const server = spawnServer(session, 'Redis', bin.redisServer, 'SIGTERM', [
      ...['--port', String(port), '--bind', '127.0.0.1'],
      ...['--save', '', '--appendonly', 'no'],
      ...['--dir', dir, '--logfile', log],
    ]);
    await waitUntil(
      async () => server.assertRunning() && (await tcpExchange(port, 'PING\r\n').catch(() => '')).startsWith('+PONG'),
      START_TIMEOUT_MS,
      `Redis to answer PING on 127.0.0.1:${port}`,
    );
    return `redis://127.0.0.1:${port}`;
  });
}

// ---------------------------------------------------------------- helpers --

/**
 * Polls `probe` (with a short, growing delay) until it returns true. A probe
 * that throws aborts the wait with its error (use that for "the server died").
 * The deadline is checked between probes, so each probe must be bounded itself.
 */
export async function waitUntil(
  probe: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delayMs = 5; ; delayMs = Math.min(delayMs * 2, 100)) {
    if (await probe()) return;
    if (Date.now() >= deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(delayMs);
  }
}

const portsHandedOut = new Set<number>();

/**
 * A loopback TCP port that was free a moment ago (listen on port 0, then close),
 * and that this process has not handed out before.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await unusedPort();
    if (!portsHandedOut.has(port)) {
      portsHandedOut.add(port);
      return port;
    }
  }
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not determine a free port');
  return address.port;
}

/** Finds every binary up front, so a missing one fails with the package to install. */
function resolveBinaries(): Binaries {
  const missing = new Map<string, string[]>();
  const resolved = Object.fromEntries(
    Object.entries(BINARIES).map(([key, { command, debianPackage }]) => {
      const path = findExecutable(command);
      if (path === undefined) missing.set(debianPackage, [...(missing.get(debianPackage) ?? []), command]);
      return [key, path ?? command];
    }),
  ) as Binaries;
  if (missing.size > 0) {
    const lines = [...missing].map(([pkg, commands]) => `  ${commands.join(', ')}  (Debian package ${pkg})`);
    throw new Error(
      `The real-server tests need binaries that are not installed:\n${lines.join('\n')}\n` +
        `Install them with: apt-get install -y --no-install-recommends ${[...missing.keys()].join(' ')}`,
    );
  }
  return resolved;
}

function findExecutable(command: string): string | undefined {
  // The sbin directories are searched too: mariadbd lives in /usr/sbin, often not on a user's PATH.
  const dirs = isAbsolute(command)
    ? ['']
    : [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'].filter((d) => d !== '');
  for (const dir of dirs) {
    const path = join(dir, command);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function createSession(): Promise<Session> {
  // Under /tmp (not $TMPDIR): the service users must reach it, and socket paths must stay short.
  const root = await mkdtemp('/tmp/accessflow-servers-');
  await chmod(root, 0o755);
  const session: Session = { root, processes: [], onExit: () => stopSessionSync(session) };
  process.on('exit', session.onExit);
  return session;
}

/** A directory for one server, owned by its service user when running as root. */
/**
 * A self-signed certificate for 127.0.0.1 (its subject alternative name; and its key, readable by `owner` only)
 * that no client trusts unless given it as an authority: the servers offer TLS with it, so datasources are tested
 * in every ssl mode — refusals of an untrusted certificate, and VERIFY_CA / VERIFY_FULL with it as the root.
 */
async function selfSignedCertificate(bin: Binaries, dir: string, owner: string): Promise<{ certificate: string; key: string; pem: string }> {
  const certificate = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  await run(
    bin,
    bin.openssl,
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', certificate],
    { user: owner },
  );
  await chmod(key, 0o600);
  return { certificate, key, pem: await readFile(certificate, 'utf8') };
}

async function serviceDir(session: Session, name: string, owner?: string): Promise<string> {
  const dir = join(session.root, name);
  await mkdir(dir);
  if (owner !== undefined && RUNNING_AS_ROOT) await execFileAsync('chown', [`${owner}:${owner}`, dir]);
  return dir;
}

function stopSession(session: Session): Promise<void> {
  session.stopping ??= (async () => {
    process.off('exit', session.onExit);
    const problems: string[] = [];
    await Promise.all(
      session.processes.map(async ({ what, pid, signal }) => {
        sendSignal(pid, signal);
        try {
          await waitUntil(() => !isAlive(pid), STOP_TIMEOUT_MS, `${what} (pid ${pid}) to exit after ${signal}`);
        } catch (error) {
          problems.push(`${errorMessage(error)}; killed it with SIGKILL`);
          sendSignal(pid, 'SIGKILL');
          await waitUntil(() => !isAlive(pid), KILL_TIMEOUT_MS, `${what} (pid ${pid}) to exit after SIGKILL`);
        }
      }),
    );
    await rm(session.root, { recursive: true, force: true });
    if (problems.length > 0) throw new Error(`Test servers did not stop cleanly:\n${problems.join('\n')}`);
  })();
  return session.stopping;
}

/** The 'exit' fallback: same as stopSession, but synchronous (busy-waits). */
function stopSessionSync(session: Session): void {
  const { processes } = session;
  for (const { pid, signal } of processes) sendSignal(pid, signal);
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (processes.some(({ pid }) => isAlive(pid)) && Date.now() < deadline) sleepSync(10);
  for (const { pid } of processes) if (isAlive(pid)) sendSignal(pid, 'SIGKILL');
  const killDeadline = Date.now() + KILL_TIMEOUT_MS;
  while (processes.some(({ pid }) => isAlive(pid)) && Date.now() < killDeadline) sleepSync(10);
  rmSync(session.root, { recursive: true, force: true });
}

/** Spawns a server that runs in the foreground, in its own process group, not holding the event loop. */
function spawnServer(
  session: Session,
  what: string,
  command: string,
  signal: NodeJS.Signals,
  args: readonly string[],
): { assertRunning(): true } {
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  let exit: string | undefined;
  child.on('error', (error) => (exit = error.message));
  child.on('exit', (code, exitSignal) => (exit = exitSignal === null ? `exit code ${code}` : `signal ${exitSignal}`));
  child.unref();
  if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
  session.processes.push({ what, pid: child.pid, signal });
  return {
    assertRunning() {
      if (exit !== undefined) throw new Error(`${command} exited (${exit}) before it was ready`);
      return true;
    },
  };
}

/** Runs `start`; if it fails, adds the end of the server's log to the error. */
async function withLogTail<T>(what: string, log: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const tail = await readFile(log, 'utf8').then(
      (text) => text.trimEnd().split('\n').slice(-30).join('\n'),
      () => '',
    );
    const logPart = tail === '' ? '' : `\n--- last lines of ${log} ---\n${tail}`;
    throw new Error(`${what} failed to start: ${errorMessage(error)}${logPart}`, { cause: error });
  }
}

const execFileAsync = promisify(execFile);

/** Runs a command to completion (as `user` when we are root); the error carries its output. */
async function run(
  bin: Binaries,
  command: string,
  args: readonly string[],
  { user }: { user?: string } = {},
): Promise<void> {
  const [file, argv] =
    user !== undefined && RUNNING_AS_ROOT ? [bin.runuser, ['-u', user, '--', command, ...args]] : [command, args];
  try {
    await execFileAsync(file, argv, { timeout: START_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const field = (name: string): string =>
      error instanceof Error && name in error ? String(Reflect.get(error, name) ?? '').trim() : '';
    const how = field('signal') !== '' ? `was killed by ${field('signal')}` : `failed (exit code ${field('code')})`;
    const output = [field('stderr'), field('stdout')].filter((text) => text !== '').join('\n').slice(-4000);
    throw new Error(`${[file, ...argv].join(' ')} ${how}${output === '' ? '' : `:\n${output}`}`, { cause: error });
  }
}

async function succeeds(command: string, args: readonly string[]): Promise<boolean> {
  // SIGKILL: mariadb-admin ignores SIGTERM while it waits for a handshake that never comes.
  return execFileAsync(command, args, { timeout: 5_000, killSignal: 'SIGKILL' }).then(
    () => true,
    () => false,
  );
}

/** Sends `payload` to 127.0.0.1:port and resolves with the first chunk of the answer. */
function tcpExchange(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port, timeout: 1_000 });
    socket.once('connect', () => socket.write(payload));
    socket.once('data', (data) => {
      resolve(data.toString('utf8'));
      socket.destroy();
    });
    socket.once('timeout', () => socket.destroy(new Error('timed out')));
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('connection closed')));
  });
}

async function readPid(pidFile: string): Promise<number | undefined> {
  const text = await readFile(pidFile, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
  // An exited process that its parent has not reaped (a zombie) still answers kill(pid, 0).
  // That happens to the postmaster (pg_ctl leaves it to PID 1, which in containers may never
  // reap), and to our own children while the synchronous 'exit' hook blocks the event loop.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function sendSignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if (errorCode(error) !== 'ESRCH') throw error;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function errorCode(error: unknown): unknown {
  return error instanceof Error ? Reflect.get(error, 'code') : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

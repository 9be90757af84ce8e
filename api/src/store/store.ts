/**
 * The internal store: MikroORM on PostgreSQL (DATABASE_URL) or on embedded PGlite (a folder in the data dir),
 * with the same driver, SQL and migrations on both. All tenant work goes through `tenant()`, which runs one
 * transaction as the non-bypassing app role with the org set, so row-level security filters every statement.
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, UniqueConstraintViolationException, wrap, type EntityManager, type Options } from '@mikro-orm/postgresql';
import { ConflictError } from '../errors.ts';
import { createPostgreSqlTypeParsers } from '@mikro-orm/sql';
import pg from 'pg';
import { Pipeline, type PipelineStep } from '../engines/postgres/pipeline.ts';
import { ENTITIES } from './entities.ts';
import { pgliteSession } from './pglite-dialect.ts';
import { APP_ROLE, ORG_SETTING, SYSTEM_ROLE } from './tenancy.ts';

export type { EntityManager };

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));

/** `dataDir` value for a throw-away in-memory embedded store. */
export const IN_MEMORY = 'memory://';

export interface StoreOptions {
  /** PostgreSQL URL; absent → PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize?: number;
}

/** One statement with `$1`-style parameters, as text. */
export interface Statement {
  text: string;
  values: readonly (string | null)[];
}

export interface Store {
  readonly kind: 'postgresql' | 'pglite';
  readonly orm: MikroORM;
  /** One transaction as the app role, scoped to `orgId` by row-level security. */
  tenant<T>(orgId: string, work: (em: EntityManager) => Promise<T>): Promise<T>;
  /** One transaction across organizations. Only for the named cross-org paths: credential lookup, setup, platform admin. */
  system<T>(work: (em: EntityManager) => Promise<T>): Promise<T>;
  /**
   * One read-only statement (`$1`-style parameters) across organizations, in a single round trip: the role switch
   * is pipelined with it in one implicit transaction. For the credential lookup every request starts with, which
   * would otherwise cost a transaction of four round trips.
   */
  systemRead<T extends object>(sql: string, params: readonly string[]): Promise<T[]>;
  /**
   * What `build` creates — the entities it creates with `em`, in creation order, then its closing statement —
   * written as the app role scoped to `orgId`, pipelined in one round trip and one implicit transaction: all or
   * nothing, with no lock held across round trips. `build` may create entities and append audit events but must
   * not query: its entity manager is in no transaction. When `build` returns null nothing is written. Effects
   * registered with `afterCommit` run once it is written; `beforeCommit` is refused.
   */
  pipelined<T>(orgId: string, build: (em: EntityManager) => Promise<{ value: T; closing: Statement } | null>): Promise<T | null>;
  /** Runs `effect` once the transaction `em` belongs to has committed (never if it rolls back). */
  afterCommit(em: EntityManager, effect: () => void): void;
  /** Runs `work` inside the transaction `em` belongs to, after the caller's work and before the commit. */
  beforeCommit(em: EntityManager, work: () => Promise<void>): void;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

/** MikroORM options shared by the server and the migration script. */
export function ormOptions(extra: Partial<Options>): Options {
  return {
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: {
      path: MIGRATIONS_DIR,
      pathTs: MIGRATIONS_DIR,
      emit: 'ts',
      snapshot: true,
      snapshotOnMigrate: false,
      silent: true,
      fileName: (timestamp, name) => `Migration${timestamp}${name ? '_' + name : ''}`,
    },
    allowGlobalContext: false,
    debug: false,
    ...extra,
  };
}

export async function openStore(options: StoreOptions): Promise<Store> {
  let orm: MikroORM;
  let kind: Store['kind'];
  /** Runs statements in one implicit transaction after `opening` (which sets the role), in one round trip where it can. */
  let inOneTransaction: (opening: Statement, statements: readonly Statement[], describeLast: boolean) => Promise<Record<string, unknown>[]>;
  let closePipelines: () => Promise<void>;
  if (options.databaseUrl) {
    kind = 'postgresql';
    orm = await MikroORM.init(ormOptions({ clientUrl: options.databaseUrl, pool: { min: 0, max: options.poolSize ?? 10 } }));
    const pipelines = new pg.Pool({ connectionString: options.databaseUrl, max: PIPELINE_CONNECTIONS });
    // An idle connection that fails is dropped by the pool; a failing pipeline reports its own error.
    pipelines.on('error', () => undefined);
    inOneTransaction = async (opening, statements, describeLast) => {
      const steps = [opening, ...statements].map((statement, i, all): PipelineStep => {
        const last = describeLast && i === all.length - 1;
        // Prepared once per connection: these texts come from the code, so there are few of them.
        return { text: statement.text, values: statement.values, limit: 0, keepRows: last, describe: last, name: statementName(statement.text) };
      });
      const pipeline = new Pipeline(steps);
      const client = await pipelines.connect();
      let failed: Error | undefined;
      try {
        const { fields, rows } = (await Pipeline.run(client, pipeline)).at(-1)!;
        const parsers = fields.map((field) => pg.types.getTypeParser(field.dataTypeID, 'text'));
        return rows.map((row) => Object.fromEntries(row.map((text, i) => [fields[i]!.name, text === null ? null : parsers[i]!(text)])));
      } catch (error) {
        if (pipeline.leftUnknownStatements) failed = error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        // release(error) closes the connection instead of pooling it.
        client.release(failed);
      }
    };
    closePipelines = () => pipelines.end();
  } else {
    kind = 'pglite';
    const dir = options.dataDir === IN_MEMORY ? IN_MEMORY : join(options.dataDir, 'pgdata');
    if (dir !== IN_MEMORY) await mkdir(dirname(dir), { recursive: true });
    const db = await PGlite.create(dir, { parsers: createPostgreSqlTypeParsers(parseTextArray) });
    const session = pgliteSession(db);
    orm = await MikroORM.init(ormOptions({ dbName: 'postgres', driverOptions: session.dialect }));
    inOneTransaction = (opening, statements) =>
      session.exclusive((pglite) =>
        pglite.transaction(async (tx) => {
          let rows: Record<string, unknown>[] = [];
          for (const statement of [opening, ...statements]) rows = (await tx.query<Record<string, unknown>>(statement.text, [...statement.values])).rows;
          return rows;
        }),
      );
    closePipelines = async () => undefined;
  }

  const pendingEffects = new WeakMap<EntityManager, (() => void)[]>();
  const pendingWork = new WeakMap<EntityManager, (() => Promise<void>)[]>();
  const run = async <T>(variables: Record<string, string>, work: (em: EntityManager) => Promise<T>) => {
    const em = orm.em.fork({ clear: true, useContext: false });
    // `role` is a setting like any other: set_config('role', …, true) is SET LOCAL ROLE in the same round trip.
    em.setSessionContext({ variables });
    const effects: (() => void)[] = [];
    const finishing: (() => Promise<void>)[] = [];
    const result = await em.transactional(async (tx) => {
      pendingEffects.set(tx as EntityManager, effects);
      pendingWork.set(tx as EntityManager, finishing);
      const value = await work(tx as EntityManager);
      for (const step of finishing) await step();
      return value;
    });
    for (const effect of effects) effect();
    return result;
  };

  return {
    kind,
    orm,
    tenant: (orgId, work) => run({ role: APP_ROLE, [ORG_SETTING]: orgId }, work),
    system: (work) => run({ role: SYSTEM_ROLE }, work),
    systemRead: async <T extends object>(sql: string, params: readonly string[]) =>
      (await inOneTransaction(SYSTEM_READ_OPENING, [{ text: sql, values: params }], true)) as T[],
    pipelined: async (orgId, build) => {
      const em = orm.em.fork({ clear: true, useContext: false });
      const effects: (() => void)[] = [];
      pendingEffects.set(em, effects);
      const built = await build(em);
      if (built === null) return null;
      const inserts = [...em.getUnitOfWork().getPersistStack()].map((entity) => insertOf(em, entity));
      await inOneTransaction({ text: TENANT_OPENING, values: [APP_ROLE, orgId] }, [...inserts, built.closing], false);
      for (const effect of effects) effect();
      return built.value;
    },
    beforeCommit: (em, step) => {
      const steps = pendingWork.get(em);
      if (!steps) throw new Error('beforeCommit needs an entity manager from Store.tenant or Store.system');
      steps.push(step);
    },
    afterCommit: (em, effect) => {
      const effects = pendingEffects.get(em);
      if (!effects) throw new Error('afterCommit needs an entity manager from Store.tenant, Store.system or Store.pipelined');
      effects.push(effect);
    },
    migrate: async () => (await orm.migrator.up()).map((m) => m.name),
    close: async () => {
      await closePipelines();
      await orm.close(true);
    },
  };
}

/** Connections of the store kept for `systemRead` and `pipelined`, besides MikroORM's pool. */
const PIPELINE_CONNECTIONS = 4;

/** The system role and a read-only transaction, both local to the implicit transaction of a `systemRead`. */
const SYSTEM_READ_OPENING: Statement = {
  text: "select set_config('role', $1, true), set_config('transaction_read_only', 'on', true)",
  values: [SYSTEM_ROLE],
};

/** The app role and the organization, local to the implicit transaction of a `pipelined` write. */
const TENANT_OPENING = `select set_config('role', $1, true), set_config('${ORG_SETTING}', $2, true)`;

/** The name a statement text is prepared under on the store's pipeline connections. */
function statementName(text: string): string {
  return `af_${createHash('sha1').update(text).digest('base64url')}`;
}

/** The insert of a new entity, from its metadata and the values MikroORM would write for it. */
function insertOf(em: EntityManager, entity: object): Statement {
  const meta = wrap(entity, true).__meta as unknown as { className: string; tableName: string; properties: Record<string, { fieldNames?: string[] } | undefined> };
  const data = em.getComparator().prepareEntity(entity) as Record<string, unknown>;
  const columns: string[] = [];
  const values: (string | null)[] = [];
  for (const [property, value] of Object.entries(data)) {
    const fieldNames = meta.properties[property]?.fieldNames ?? [];
    if (fieldNames.length !== 1) throw new Error(`store: ${meta.className}.${property} does not map to one column`);
    columns.push(`"${fieldNames[0]!.replaceAll('"', '""')}"`);
    values.push(asText(value, `${meta.className}.${property}`));
  }
  return {
    text: `insert into "${meta.tableName.replaceAll('"', '""')}" (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    values,
  };
}

/** A value as PostgreSQL's text input format; MikroORM has already turned JSON properties into text. */
function asText(value: unknown, what: string): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  throw new Error(`store: ${what} has a value of a kind a pipelined insert does not write`);
}

/** Flushes, turning a unique-constraint violation into a ConflictError with `message`. */
export async function flushOrConflict(em: EntityManager, message: string): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new ConflictError(message);
    throw error;
  }
}

/** PGlite array parser for the few array types MikroORM keeps as text (simple, unquoted elements). */
function parseTextArray(value: string): string[] {
  const inner = value.slice(1, -1);
  return inner === '' ? [] : inner.split(',').map((item) => item.replace(/^"(.*)"$/, '$1'));
}

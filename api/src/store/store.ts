/**
 * The internal store: MikroORM on PostgreSQL (DATABASE_URL) or on embedded PGlite (a folder in the data dir),
 * with the same driver, SQL and migrations on both. All tenant work goes through `tenant()`, which runs one
 * transaction as the non-bypassing app role with the org set, so row-level security filters every statement.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, UniqueConstraintViolationException, type EntityManager, type Options } from '@mikro-orm/postgresql';
import { ConflictError } from '../errors.ts';
import { createPostgreSqlTypeParsers } from '@mikro-orm/sql';
import { ENTITIES } from './entities.ts';
import { pgliteDialect } from './pglite-dialect.ts';
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

export interface Store {
  readonly kind: 'postgresql' | 'pglite';
  readonly orm: MikroORM;
  /** One transaction as the app role, scoped to `orgId` by row-level security. */
  tenant<T>(orgId: string, work: (em: EntityManager) => Promise<T>): Promise<T>;
  /** One transaction across organizations. Only for the named cross-org paths: credential lookup, setup, platform admin. */
  system<T>(work: (em: EntityManager) => Promise<T>): Promise<T>;
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
  if (options.databaseUrl) {
    kind = 'postgresql';
    orm = await MikroORM.init(ormOptions({ clientUrl: options.databaseUrl, pool: { min: 0, max: options.poolSize ?? 10 } }));
  } else {
    kind = 'pglite';
    const dir = options.dataDir === IN_MEMORY ? IN_MEMORY : join(options.dataDir, 'pgdata');
    if (dir !== IN_MEMORY) await mkdir(dirname(dir), { recursive: true });
    const db = await PGlite.create(dir, { parsers: createPostgreSqlTypeParsers(parseTextArray) });
    orm = await MikroORM.init(ormOptions({ dbName: 'postgres', driverOptions: pgliteDialect(db) }));
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
    beforeCommit: (em, step) => {
      const steps = pendingWork.get(em);
      if (!steps) throw new Error('beforeCommit needs an entity manager from Store.tenant or Store.system');
      steps.push(step);
    },
    afterCommit: (em, effect) => {
      const effects = pendingEffects.get(em);
      if (!effects) throw new Error('afterCommit needs an entity manager from Store.tenant or Store.system');
      effects.push(effect);
    },
    migrate: async () => (await orm.migrator.up()).map((m) => m.name),
    close: () => orm.close(true),
  };
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

/**
 * Writes a new migration into migrations/: the difference between the entities and the schema the existing
 * migrations build (applied to a throw-away in-memory PGlite). `--blank <name>` writes an empty one to fill by hand.
 */
import { IN_MEMORY, openStore } from '../src/store/store.ts';

const args = process.argv.slice(2);
const blank = args.includes('--blank');
const name = args.find((arg) => !arg.startsWith('--'));

const store = await openStore({ databaseUrl: undefined, dataDir: IN_MEMORY });
try {
  await store.migrate();
  const result = await store.orm.migrator.create(undefined, blank, false, name);
  if (result.diff.up.length === 0 && !blank) {
    console.log('entities and migrations agree: no migration needed');
  } else {
    console.log(`wrote migrations/${result.fileName}`);
  }
} finally {
  await store.close();
}

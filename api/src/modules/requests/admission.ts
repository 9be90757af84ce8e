/**
 * Admission: may this caller submit this classified statement on this datasource at all (role, then grants)?
 * Shared by submission and by analysis, so a preview never disagrees with what submit would decide.
 */
import type { Classification, TableRef } from '../../engines/sql/classification.ts';
import { ForbiddenError } from '../../errors.ts';
import type { Actor } from '../../graphql/context.ts';
import type { EntityManager } from '../../store/store.ts';
import type { Datasource } from '../datasources/datasource.entity.ts';
import type { GrantService } from '../grants/grant.service.ts';
import { tableAllowed, type EffectiveAccess } from '../grants/access.ts';
import { roleHas, type Permission, type Role } from '../identity/permissions.ts';

const FULL_ACCESS: EffectiveAccess = {
  canRead: true,
  canWrite: true,
  canDdl: true,
  canBreakGlass: false,
  allowedSchemas: null,
  allowedTables: null,
  restrictedColumns: new Set(),
  maxRows: null,
  grantIds: [],
  changesAt: null,
};

/** Admins pass the per-datasource check for ordinary submissions (as in the seed); everyone else needs grants. */
export function accessOf(
  grants: GrantService,
  em: EntityManager,
  actor: Actor,
  groupIds: readonly string[],
  datasource: Pick<Datasource, 'id' | 'dbType'>,
): Promise<EffectiveAccess> {
  return actor.role === 'ADMIN' ? Promise.resolve(FULL_ACCESS) : grants.effectiveAccess(em, actor.userId, groupIds, datasource);
}

function permissionFor(c: Classification): Permission {
  if (c.type === 'DDL') return 'QUERY_SUBMIT_DDL';
  return c.readOnly ? 'QUERY_SUBMIT_SELECT' : 'QUERY_SUBMIT_DML';
}

export function assertRoleMay(role: Role, c: Classification): void {
  const needed = permissionFor(c);
  if (!roleHas(role, needed)) throw new ForbiddenError(`your role ${role} may not submit ${describe(c)} (needs ${needed})`);
}

function describe(c: Classification): string {
  return c.readOnly ? 'reads' : c.type === 'DDL' ? 'schema changes' : 'writes';
}

/** Where an unqualified table name resolves: `public` (the engine pins search_path), or the MySQL database as configured. */
export function defaultSchemaAsWritten(datasource: Pick<Datasource, 'dbType' | 'databaseName'>): string {
  return datasource.dbType === 'POSTGRESQL' ? 'public' : datasource.databaseName;
}

/** The same, for the rules that compare MySQL/MariaDB names in lower case (routing conditions, row security). */
export function defaultSchemaOf(datasource: Datasource): string {
  return datasource.dbType === 'POSTGRESQL' ? 'public' : datasource.databaseName.toLowerCase();
}

/**
 * The names a statement's grants must cover. PostgreSQL searches pg_catalog before the search path (`public`), so an
 * unqualified `pg_user` is pg_catalog.pg_user; every relation there is named pg_…, so such a name must be allowed
 * both in pg_catalog and where it would otherwise resolve (a table of public may carry the prefix too).
 */
function grantedNamesOf(c: Classification, datasource: Datasource): TableRef[] {
  if (datasource.dbType !== 'POSTGRESQL') return c.writtenTables;
  return c.writtenTables.flatMap((table) => (table.schema === null && table.name.startsWith('pg_') ? [table, { schema: 'pg_catalog', name: table.name }] : [table]));
}

export function assertAllowed(access: EffectiveAccess, c: Classification, datasource: Datasource): void {
  const capability = c.type === 'DDL' ? access.canDdl : c.readOnly ? access.canRead : access.canWrite;
  if (!capability) throw new ForbiddenError(`your grants on "${datasource.name}" do not allow ${describe(c)}`);
  const defaultSchema = defaultSchemaAsWritten(datasource);
  const outside = grantedNamesOf(c, datasource).filter((table) => !tableAllowed(access, table, defaultSchema));
  if (outside.length > 0) {
    throw new ForbiddenError(`your grants on "${datasource.name}" do not cover ${outside.map((t) => (t.schema ? `${t.schema}.${t.name}` : t.name)).join(', ')}`);
  }
}

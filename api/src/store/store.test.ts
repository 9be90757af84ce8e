/**
 * The store on both backends: migrations build exactly what the entities describe, and row-level security
 * isolates organizations for raw SQL run as the app role.
 */
import { inject, afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../test/servers.ts';
import { UserEntity } from '../modules/identity/user.entity.ts';
import { OrganizationEntity } from '../modules/orgs/organization.entity.ts';
import { ENTITIES } from './entities.ts';
import { IN_MEMORY, openStore, type EntityManager, type Store } from './store.ts';
import { APP_ROLE, SYSTEM_ROLE } from './tenancy.ts';

const backends = {
  postgresql: async () => openStore({ databaseUrl: await createPostgresDatabase(inject('postgresUrl')), dataDir: IN_MEMORY }),
  pglite: () => openStore({ databaseUrl: undefined, dataDir: IN_MEMORY }),
};

describe.each(Object.entries(backends))('store on %s', (_name, open) => {
  let store: Store;
  let orgA: string;
  let orgB: string;

  beforeAll(async () => {
    store = await open();
    await store.migrate();
    [orgA, orgB] = await store.system(async (em) => {
      const ids = ['A', 'B'].map((name) => {
        const org = em.create(OrganizationEntity, { name });
        em.create(UserEntity, { organizationId: org.id, email: `${name}@example.test`, displayName: name, role: 'ADMIN' });
        return org.id;
      });
      await em.flush();
      return ids as [string, string];
    });
  });
  afterAll(() => store.close());

  const raw = <T>(em: EntityManager, sql: string, params: unknown[] = []) => em.execute<T[]>(sql, params);

  it('stores empty JSON defaults as JSON values, not as strings', async () => {
    const types = await store.system((em) => raw<{ t: string }>(em, 'select distinct jsonb_typeof(attributes) as t from users'));
    expect(types).toEqual([{ t: 'object' }]);
  });

  it('has no difference between the entities and the migrated schema', async () => {
    expect(await store.orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
  });

  it('forces row-level security on every table of the store, with both policies', async () => {
    const tables = await store.system((em) =>
      raw<{ table: string; enabled: boolean; forced: boolean; policies: string[] }>(
        em,
        `select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
                array(select p.polname::text from pg_policy p where p.polrelid = c.oid order by 1) as policies
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 'mikro_orm_migrations'
          order by 1`,
      ),
    );
    // Every table is a tenant table: a new one without row-level security fails here.
    expect(tables.length).toBe(ENTITIES.length);
    for (const table of tables) {
      expect(table, table.table).toMatchObject({ enabled: true, forced: true });
      expect([...table.policies].sort(), table.table).toEqual(['system_access', 'tenant_isolation']);
    }
  });

  it('gives the server roles no way around row-level security', async () => {
    const roles = await store.system((em) =>
      raw<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean }>(
        em,
        'select rolname, rolsuper, rolbypassrls, rolcanlogin from pg_roles where rolname in (?, ?) order by 1',
        [APP_ROLE, SYSTEM_ROLE],
      ),
    );
    expect(roles).toEqual([
      { rolname: APP_ROLE, rolsuper: false, rolbypassrls: false, rolcanlogin: false },
      { rolname: SYSTEM_ROLE, rolsuper: false, rolbypassrls: false, rolcanlogin: false },
    ]);
  });

  it('shows the app role only its own organization, for raw SQL', async () => {
    const seen = await store.tenant(orgA, async (em) => ({
      who: await raw<{ current_user: string }>(em, 'select current_user'),
      orgs: await raw<{ id: string }>(em, 'select id from organizations'),
      users: await raw<{ email: string }>(em, 'select email from users'),
      joined: await raw<{ n: string | number }>(em, 'select count(*) as n from users u join organizations o on o.id = u.organization_id'),
    }));
    expect(seen.who).toEqual([{ current_user: APP_ROLE }]);
    expect(seen.orgs).toEqual([{ id: orgA }]);
    expect(seen.users).toEqual([{ email: 'A@example.test' }]);
    expect(Number(seen.joined[0]!.n)).toBe(1);
  });

  it('refuses the app role writes into another organization', async () => {
    const insert = store.tenant(orgA, (em) =>
      raw(em, `insert into users (id, organization_id, email, display_name, role, created_at, updated_at)
               values (gen_random_uuid(), ?, 'intruder@example.test', 'x', 'ADMIN', now(), now())`, [orgB]),
    );
    await expect(insert).rejects.toThrow(/row-level security/);
    const move = store.tenant(orgA, (em) => raw(em, 'update users set organization_id = ?', [orgB]));
    await expect(move).rejects.toThrow(/row-level security/);
    const touched = await store.tenant(orgA, (em) => raw<{ n: string | number }>(em, `with u as (update users set display_name = 'renamed' where organization_id = ? returning 1) select count(*) as n from u`, [orgB]));
    expect(Number(touched[0]!.n)).toBe(0);
  });

  it('shows the app role nothing when no organization is set', async () => {
    const counts = await store.orm.em.fork().transactional(async (em) => {
      await raw(em, `select set_config('role', ?, true)`, [APP_ROLE]);
      return raw<{ users: string | number; orgs: string | number }>(em, 'select (select count(*) from users) as users, (select count(*) from organizations) as orgs');
    });
    expect(counts.map((c) => [Number(c.users), Number(c.orgs)])).toEqual([[0, 0]]);
  });

  it('returns connections to the pool without the role or organization', async () => {
    await store.tenant(orgA, (em) => raw(em, 'select 1'));
    const after = await store.orm.em.fork().execute<{ current_user: string; org: string | null }[]>(
      `select current_user, nullif(current_setting('app.org_id', true), '') as org`,
    );
    expect(after[0]!.current_user).not.toBe(APP_ROLE);
    expect(after[0]!.org).toBeNull();
  });

  it('reads across organizations in one statement as the system role, read-only, typed, and leaves nothing behind', async () => {
    const rows = await store.systemRead<{ who: string; email: string; platform_admin: boolean; created_at: Date | string }>(
      'select current_user as who, email, platform_admin, created_at from users where email = any($1::text[]) order by email',
      ['{A@example.test,B@example.test}'],
    );
    expect(rows.map(({ who, email, platform_admin }) => ({ who, email, platform_admin }))).toEqual([
      { who: SYSTEM_ROLE, email: 'A@example.test', platform_admin: false },
      { who: SYSTEM_ROLE, email: 'B@example.test', platform_admin: false },
    ]);
    expect(Number.isNaN(new Date(rows[0]!.created_at).getTime())).toBe(false);
    await expect(store.systemRead(`update users set display_name = 'changed' returning id`, [])).rejects.toThrow(/read-only transaction/);
    await expect(store.systemRead('select * from no_such_table', [])).rejects.toThrow(/no_such_table/);
    const names = await store.system((em) => raw<{ display_name: string }>(em, 'select display_name from users order by 1'));
    expect(names.map((n) => n.display_name)).toEqual(['A', 'B']);
    const after = await store.systemRead<{ who: string; read_only: string }>(`select current_user as who, current_setting('transaction_read_only') as read_only`, []);
    expect(after).toEqual([{ who: SYSTEM_ROLE, read_only: 'on' }]);
    const plain = await store.orm.em.fork().execute<{ current_user: string; read_only: string }[]>(`select current_user, current_setting('transaction_read_only') as read_only`);
    expect(plain[0]).toMatchObject({ read_only: 'off' });
    expect(plain[0]!.current_user).not.toBe(SYSTEM_ROLE);
  });
});

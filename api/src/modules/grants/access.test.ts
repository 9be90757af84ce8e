import { describe, expect, it } from 'vitest';
import { combineGrants, nameParts, tableAllowed, type NameRule } from './access.ts';
import type { Grant } from './grant.entity.ts';

const grant = (fields: Partial<Grant>): Grant =>
  ({ id: 'g', canRead: true, canWrite: false, canDdl: false, canBreakGlass: false, allowedSchemas: null, allowedTables: null, restrictedColumns: [], maxRows: null, expiresAt: null, ...fields }) as Grant;
const allowed = (fields: Partial<Grant>, rule: NameRule, table: { schema: string | null; name: string }, defaultSchema = 'public') =>
  tableAllowed(combineGrants([grant(fields)], rule), table, defaultSchema);

describe('names in grants', () => {
  it('PostgreSQL: unquoted parts fold to lower case (ASCII only), quoted parts are kept, dots inside quotes are part of the name', () => {
    expect(nameParts('Sales.Orders', 'POSTGRESQL')).toEqual(['sales', 'orders']);
    expect(nameParts('"Sales".orders', 'POSTGRESQL')).toEqual(['Sales', 'orders']);
    expect(nameParts('"a.b"', 'POSTGRESQL')).toEqual(['a.b']);
    expect(nameParts('a.b', 'POSTGRESQL')).toEqual(['a', 'b']);
    expect(nameParts('"say ""hi"""', 'POSTGRESQL')).toEqual(['say "hi"']);
    expect(nameParts('  ÉTÉ ', 'POSTGRESQL')).toEqual(['ÉtÉ']);
    expect(nameParts('Shop.Orders', 'AS_WRITTEN')).toEqual(['Shop', 'Orders']);
    expect(nameParts('`my.db`.`odd``name`', 'AS_WRITTEN')).toEqual(['my.db', 'odd`name']);
  });

  it('PostgreSQL: a reference passes only under the exact name the server resolves', () => {
    expect(allowed({ allowedSchemas: ['public'] }, 'POSTGRESQL', { schema: 'Public', name: 'keys' })).toBe(false);
    expect(allowed({ allowedSchemas: ['PUBLIC'] }, 'POSTGRESQL', { schema: 'public', name: 'keys' })).toBe(true);
    expect(allowed({ allowedSchemas: ['"Public"'] }, 'POSTGRESQL', { schema: 'Public', name: 'keys' })).toBe(true);
    expect(allowed({ allowedTables: ['accounts'] }, 'POSTGRESQL', { schema: null, name: 'Accounts' })).toBe(false);
    expect(allowed({ allowedTables: ['"Accounts"'] }, 'POSTGRESQL', { schema: null, name: 'Accounts' })).toBe(true);
    expect(allowed({ allowedTables: ['public.accounts'] }, 'POSTGRESQL', { schema: 'public', name: 'accounts' })).toBe(true);
    // A bare allowed name covers only an unqualified reference; a qualified one only its schema.
    expect(allowed({ allowedTables: ['accounts'] }, 'POSTGRESQL', { schema: 'public', name: 'accounts' })).toBe(false);
    expect(allowed({ allowedTables: ['"public.accounts"'] }, 'POSTGRESQL', { schema: 'public', name: 'accounts' })).toBe(false);
    // The unqualified reference resolves to the default schema, which the schema list must allow.
    expect(allowed({ allowedSchemas: ['sales'], allowedTables: ['accounts'] }, 'POSTGRESQL', { schema: null, name: 'accounts' })).toBe(false);
  });

  it('MySQL and MariaDB: compared as written, since a case-sensitive server tells SHOP from shop', () => {
    expect(allowed({ allowedSchemas: ['shop'] }, 'AS_WRITTEN', { schema: 'shop', name: 't' }, 'shop')).toBe(true);
    expect(allowed({ allowedSchemas: ['shop'] }, 'AS_WRITTEN', { schema: 'SHOP', name: 't' }, 'shop')).toBe(false);
    expect(allowed({ allowedSchemas: ['`SHOP`'] }, 'AS_WRITTEN', { schema: 'SHOP', name: 't' }, 'shop')).toBe(true);
    expect(allowed({ allowedTables: ['shop.orders'] }, 'AS_WRITTEN', { schema: 'shop', name: 'Orders' }, 'shop')).toBe(false);
    expect(allowed({ allowedTables: ['Shop.Orders'] }, 'AS_WRITTEN', { schema: 'Shop', name: 'Orders' }, 'shop')).toBe(true);
    expect(allowed({ allowedTables: ['orders'] }, 'AS_WRITTEN', { schema: 'other', name: 'orders' }, 'shop')).toBe(false);
    // An unqualified reference is in the datasource's database, as configured.
    expect(allowed({ allowedSchemas: ['Shop'] }, 'AS_WRITTEN', { schema: null, name: 't' }, 'Shop')).toBe(true);
  });

  it('a name of more parts than it can have allows nothing', () => {
    expect(allowed({ allowedSchemas: ['db.public'] }, 'POSTGRESQL', { schema: 'public', name: 't' })).toBe(false);
    expect(allowed({ allowedTables: ['db.public.t'] }, 'POSTGRESQL', { schema: 'public', name: 't' })).toBe(false);
  });

  it('expired grants count for nothing, whatever the rule', () => {
    const access = combineGrants([grant({ expiresAt: new Date(Date.now() - 1000) })], 'POSTGRESQL');
    expect(access.canRead).toBe(false);
    expect(tableAllowed(access, { schema: 'public', name: 't' }, 'public')).toBe(false);
  });
});

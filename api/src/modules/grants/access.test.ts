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
    expect(nameParts('Shop.Orders', 'LOWER_CASE')).toEqual(['shop', 'orders']);
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

  it('MySQL and MariaDB: compared in lower case', () => {
    expect(allowed({ allowedSchemas: ['Shop'] }, 'LOWER_CASE', { schema: 'shop', name: 't' }, 'shop')).toBe(true);
    expect(allowed({ allowedTables: ['Shop.Orders'] }, 'LOWER_CASE', { schema: 'shop', name: 'orders' }, 'shop')).toBe(true);
    expect(allowed({ allowedTables: ['orders'] }, 'LOWER_CASE', { schema: 'other', name: 'orders' }, 'shop')).toBe(false);
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

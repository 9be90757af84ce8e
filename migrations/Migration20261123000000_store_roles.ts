import { Migration } from '@mikro-orm/migrations';

/**
 * The two roles the server works as (see api/src/store/tenancy.ts). Neither can log in or bypass row-level
 * security; tables created after this get their privileges by default. Roles are cluster-wide, so creation
 * tolerates a role made by another AccessFlow database in the same cluster.
 */
export class Migration20261123000000_store_roles extends Migration {
  override up(): void {
    for (const role of ['accessflow_app', 'accessflow_system']) {
      this.addSql(`do $$ begin
  create role ${role} nologin nobypassrls;
exception when duplicate_object or unique_violation then null;
end $$;`);
    }
    this.addSql(`do $$ begin
  if not (select rolsuper from pg_roles where rolname = current_user) then
    execute format('grant accessflow_app, accessflow_system to %I', current_user);
  end if;
end $$;`);
    this.addSql('grant usage on schema public to accessflow_app, accessflow_system;');
    this.addSql('alter default privileges in schema public grant select, insert, update, delete on tables to accessflow_app, accessflow_system;');
    this.addSql('alter default privileges in schema public grant usage, select on sequences to accessflow_app, accessflow_system;');
  }
}

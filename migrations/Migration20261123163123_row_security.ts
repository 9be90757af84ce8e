import { Migration } from '@mikro-orm/migrations';

export class Migration20261123163123_row_security extends Migration {

  override name = 'Migration20261123163123_row_security';

  override up(): void | Promise<void> {
    this.addSql(`create table "row_security_policies" ("id" uuid not null, "organization_id" uuid not null, "datasource_id" uuid not null, "table_name" varchar(400) not null, "column_name" varchar(200) not null, "operator" text not null, "value_type" text not null, "value_expression" varchar(1000) not null, "applies_to_roles" jsonb not null default '[]', "applies_to_group_ids" jsonb not null default '[]', "applies_to_user_ids" jsonb not null default '[]', "enabled" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "row_security_policies_organization_id_index" on "row_security_policies" ("organization_id");`);
    this.addSql(`alter table "row_security_policies" add constraint "row_security_policies_datasource_id_table_name_co_77ee2_unique" unique ("datasource_id", "table_name", "column_name", "operator");`);

    this.addSql(`alter table "row_security_policies" add constraint "row_security_policies_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "row_security_policies" add constraint "row_security_policies_datasource_id_foreign" foreign key ("datasource_id") references "datasources" ("id") on delete cascade;`);
    this.addSql(`alter table "row_security_policies" add constraint "row_security_policies_operator_check" check ("operator" in ('EQUALS', 'NOT_EQUALS', 'LESS_THAN', 'LESS_THAN_OR_EQUAL', 'GREATER_THAN', 'GREATER_THAN_OR_EQUAL', 'IN', 'NOT_IN'));`);
    this.addSql(`alter table "row_security_policies" add constraint "row_security_policies_value_type_check" check ("value_type" in ('LITERAL', 'VARIABLE'));`);
    this.addSql(`alter table "row_security_policies" enable row level security;`);
    this.addSql(`alter table "row_security_policies" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "row_security_policies" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "row_security_policies" to "accessflow_system" using (true) with check (true);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "row_security_policies" cascade;`);
  }

}

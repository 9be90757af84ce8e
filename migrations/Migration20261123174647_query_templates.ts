import { Migration } from '@mikro-orm/migrations';

export class Migration20261123174647_query_templates extends Migration {

  override name = 'Migration20261123174647_query_templates';

  override up(): void | Promise<void> {
    this.addSql(`create table "query_templates" ("id" uuid not null, "organization_id" uuid not null, "owner_id" uuid not null, "name" varchar(200) not null, "description" text null, "visibility" text not null default 'PRIVATE', "datasource_id" uuid null, "current_version" int not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "query_templates_organization_id_index" on "query_templates" ("organization_id");`);
    this.addSql(`alter table "query_templates" add constraint "query_templates_organization_id_owner_id_name_unique" unique ("organization_id", "owner_id", "name");`);

    this.addSql(`create table "query_template_versions" ("id" uuid not null, "organization_id" uuid not null, "template_id" uuid not null, "version" int not null, "body" text not null, "placeholders" jsonb not null default '[]', "created_by_id" uuid not null, "restored_from" int null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "query_template_versions_organization_id_index" on "query_template_versions" ("organization_id");`);
    this.addSql(`alter table "query_template_versions" add constraint "query_template_versions_template_id_version_unique" unique ("template_id", "version");`);

    this.addSql(`alter table "query_templates" add constraint "query_templates_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "query_templates" add constraint "query_templates_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "query_templates" add constraint "query_templates_datasource_id_foreign" foreign key ("datasource_id") references "datasources" ("id") on delete set null;`);
    this.addSql(`alter table "query_templates" add constraint "query_templates_visibility_check" check ("visibility" in ('PRIVATE', 'TEAM'));`);
    this.addSql(`alter table "query_templates" enable row level security;`);
    this.addSql(`alter table "query_templates" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "query_templates" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "query_templates" to "accessflow_system" using (true) with check (true);`);

    this.addSql(`alter table "query_template_versions" add constraint "query_template_versions_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "query_template_versions" add constraint "query_template_versions_template_id_foreign" foreign key ("template_id") references "query_templates" ("id") on delete cascade;`);
    this.addSql(`alter table "query_template_versions" enable row level security;`);
    this.addSql(`alter table "query_template_versions" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "query_template_versions" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "query_template_versions" to "accessflow_system" using (true) with check (true);`);
    // Versions are immutable: the application roles may insert, read and (with their template) delete them, never update.
    this.addSql(`revoke update on "query_template_versions" from accessflow_app, accessflow_system;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "query_template_versions" drop constraint "query_template_versions_template_id_foreign";`);

    this.addSql(`drop table if exists "query_templates" cascade;`);
    this.addSql(`drop table if exists "query_template_versions" cascade;`);
  }

}

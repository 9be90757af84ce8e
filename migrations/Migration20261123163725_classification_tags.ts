import { Migration } from '@mikro-orm/migrations';

export class Migration20261123163725_classification_tags extends Migration {

  override name = 'Migration20261123163725_classification_tags';

  override up(): void | Promise<void> {
    this.addSql(`create table "classification_tags" ("id" uuid not null, "organization_id" uuid not null, "datasource_id" uuid not null, "table_name" varchar(400) not null, "column_name" varchar(200) not null default '', "classification" text not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "classification_tags_organization_id_index" on "classification_tags" ("organization_id");`);
    this.addSql(`alter table "classification_tags" add constraint "classification_tags_datasource_id_table_name_colu_af78f_unique" unique ("datasource_id", "table_name", "column_name", "classification");`);

    this.addSql(`alter table "classification_tags" add constraint "classification_tags_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "classification_tags" add constraint "classification_tags_datasource_id_foreign" foreign key ("datasource_id") references "datasources" ("id") on delete cascade;`);
    this.addSql(`alter table "classification_tags" add constraint "classification_tags_classification_check" check ("classification" in ('PII', 'PCI', 'PHI', 'GDPR', 'FINANCIAL', 'SENSITIVE'));`);
    this.addSql(`alter table "classification_tags" enable row level security;`);
    this.addSql(`alter table "classification_tags" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "classification_tags" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "classification_tags" to "accessflow_system" using (true) with check (true);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "classification_tags" cascade;`);
  }

}

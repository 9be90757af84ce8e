import { Migration } from '@mikro-orm/migrations';

export class Migration20261123172726_routing_policies extends Migration {

  override name = 'Migration20261123172726_routing_policies';

  override up(): void | Promise<void> {
    this.addSql(`create table "routing_policies" ("id" uuid not null, "organization_id" uuid not null, "name" varchar(200) not null, "description" text null, "datasource_id" uuid null, "priority" int not null, "enabled" boolean not null default true, "condition" jsonb not null, "time_zone" varchar(100) not null default 'UTC', "action" text not null, "required_approvals" int null, "reason" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "routing_policies_organization_id_index" on "routing_policies" ("organization_id");`);
    this.addSql(`alter table "routing_policies" add constraint "routing_policies_organization_id_name_unique" unique ("organization_id", "name");`);
    this.addSql(`alter table "routing_policies" add constraint "routing_policies_organization_id_priority_unique" unique ("organization_id", "priority");`);

    this.addSql(`alter table "routing_policies" add constraint "routing_policies_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "routing_policies" add constraint "routing_policies_datasource_id_foreign" foreign key ("datasource_id") references "datasources" ("id") on delete cascade;`);
    this.addSql(`alter table "routing_policies" add constraint "routing_policies_action_check" check ("action" in ('AUTO_APPROVE', 'AUTO_REJECT', 'REQUIRE_APPROVALS', 'ESCALATE'));`);
    this.addSql(`alter table "routing_policies" enable row level security;`);
    this.addSql(`alter table "routing_policies" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "routing_policies" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "routing_policies" to "accessflow_system" using (true) with check (true);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "routing_policies" cascade;`);
  }

}

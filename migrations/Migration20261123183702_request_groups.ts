import { Migration } from '@mikro-orm/migrations';

export class Migration20261123183702_request_groups extends Migration {

  override name = 'Migration20261123183702_request_groups';

  override up(): void | Promise<void> {
    this.addSql(`create table "request_groups" ("id" uuid not null, "organization_id" uuid not null, "submitted_by_id" uuid not null, "name" varchar(200) not null, "justification" text null, "failure_mode" text not null, "status" text not null, "executed_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "request_groups_organization_id_index" on "request_groups" ("organization_id");`);
    this.addSql(`create index "request_groups_submitted_by_id_index" on "request_groups" ("submitted_by_id");`);
    this.addSql(`create index "request_groups_status_index" on "request_groups" ("status");`);

    this.addSql(`alter table "query_requests" add "group_id" uuid null, add "group_position" int null;`);
    this.addSql(`alter table "query_requests" add constraint "query_requests_group_id_foreign" foreign key ("group_id") references "request_groups" ("id") on delete cascade;`);
    this.addSql(`create index "query_requests_group_id_index" on "query_requests" ("group_id");`);

    this.addSql(`alter table "request_groups" add constraint "request_groups_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "request_groups" add constraint "request_groups_submitted_by_id_foreign" foreign key ("submitted_by_id") references "users" ("id");`);
    this.addSql(`alter table "request_groups" add constraint "request_groups_failure_mode_check" check ("failure_mode" in ('STOP_ON_FAILURE', 'CONTINUE_ON_ERROR'));`);
    this.addSql(`alter table "request_groups" add constraint "request_groups_status_check" check ("status" in ('PENDING_REVIEW', 'APPROVED', 'REJECTED', 'CANCELLED', 'EXECUTING', 'EXECUTED', 'PARTIALLY_EXECUTED', 'FAILED'));`);
    this.addSql(`alter table "request_groups" enable row level security;`);
    this.addSql(`alter table "request_groups" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "request_groups" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "request_groups" to "accessflow_system" using (true) with check (true);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "query_requests" drop constraint "query_requests_group_id_foreign";`);

    this.addSql(`drop table if exists "request_groups" cascade;`);

    this.addSql(`drop index "query_requests_group_id_index";`);
    this.addSql(`alter table "query_requests" drop column "group_id", drop column "group_position";`);
  }

}

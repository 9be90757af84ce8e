import { Migration } from '@mikro-orm/migrations';

export class Migration20261123182345_access_requests extends Migration {

  override name = 'Migration20261123182345_access_requests';

  override up(): void | Promise<void> {
    this.addSql(`create table "access_requests" ("id" uuid not null, "organization_id" uuid not null, "requester_id" uuid not null, "datasource_id" uuid not null, "can_read" boolean not null, "can_write" boolean not null, "can_ddl" boolean not null, "allowed_schemas" jsonb null, "allowed_tables" jsonb null, "duration_minutes" int not null, "justification" text not null, "status" text not null, "approvers" jsonb not null, "min_approvals_required" int not null, "current_stage" int not null default 1, "approved_at" timestamptz null, "expires_at" timestamptz null, "ended_at" timestamptz null, "ended_by_id" uuid null, "end_reason" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "access_requests_organization_id_index" on "access_requests" ("organization_id");`);
    this.addSql(`create index "access_requests_requester_id_index" on "access_requests" ("requester_id");`);
    this.addSql(`create index "access_requests_datasource_id_index" on "access_requests" ("datasource_id");`);
    this.addSql(`create index "access_requests_status_index" on "access_requests" ("status");`);
    this.addSql(`create index "access_requests_expires_at_index" on "access_requests" ("expires_at");`);

    this.addSql(`create table "access_decisions" ("id" uuid not null, "organization_id" uuid not null, "access_request_id" uuid not null, "reviewer_id" uuid not null, "stage" int not null, "decision" text not null, "comment" text null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "access_decisions_organization_id_index" on "access_decisions" ("organization_id");`);
    this.addSql(`create index "access_decisions_reviewer_id_index" on "access_decisions" ("reviewer_id");`);
    this.addSql(`alter table "access_decisions" add constraint "access_decisions_access_request_id_reviewer_id_stage_unique" unique ("access_request_id", "reviewer_id", "stage");`);

    this.addSql(`alter table "access_requests" add constraint "access_requests_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "access_requests" add constraint "access_requests_requester_id_foreign" foreign key ("requester_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "access_requests" add constraint "access_requests_datasource_id_foreign" foreign key ("datasource_id") references "datasources" ("id") on delete cascade;`);
    this.addSql(`alter table "access_requests" add constraint "access_requests_ended_by_id_foreign" foreign key ("ended_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "access_requests" add constraint "access_requests_status_check" check ("status" in ('PENDING', 'APPROVED', 'REJECTED', 'CANCELLED', 'REVOKED', 'EXPIRED'));`);
    this.addSql(`alter table "access_requests" enable row level security;`);
    this.addSql(`alter table "access_requests" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "access_requests" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "access_requests" to "accessflow_system" using (true) with check (true);`);

    this.addSql(`alter table "access_decisions" add constraint "access_decisions_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "access_decisions" add constraint "access_decisions_access_request_id_foreign" foreign key ("access_request_id") references "access_requests" ("id") on delete cascade;`);
    this.addSql(`alter table "access_decisions" add constraint "access_decisions_reviewer_id_foreign" foreign key ("reviewer_id") references "users" ("id");`);
    this.addSql(`alter table "access_decisions" add constraint "access_decisions_decision_check" check ("decision" in ('APPROVE', 'REJECT'));`);
    this.addSql(`alter table "access_decisions" enable row level security;`);
    this.addSql(`alter table "access_decisions" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "access_decisions" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "access_decisions" to "accessflow_system" using (true) with check (true);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "access_decisions" drop constraint "access_decisions_access_request_id_foreign";`);

    this.addSql(`drop table if exists "access_requests" cascade;`);
    this.addSql(`drop table if exists "access_decisions" cascade;`);
  }

}

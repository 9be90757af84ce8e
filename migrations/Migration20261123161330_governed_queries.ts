import { Migration } from '@mikro-orm/migrations';

export class Migration20261123161330_governed_queries extends Migration {

  override name = 'Migration20261123161330_governed_queries';

  override up(): void | Promise<void> {
    this.addSql(`create table "review_plans" ("id" uuid not null, "organization_id" uuid not null, "name" varchar(200) not null, "description" text null, "requires_ai_review" boolean not null default true, "requires_human_approval" boolean not null default true, "auto_approve_reads" boolean not null default false, "auto_approve_max_risk_level" text not null default 'MEDIUM', "min_approvals_required" int not null default 1, "approval_timeout_hours" int not null default 24, "approvers" jsonb not null default '[]', "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "review_plans_organization_id_index" on "review_plans" ("organization_id");`);
    this.addSql(`alter table "review_plans" add constraint "review_plans_organization_id_name_unique" unique ("organization_id", "name");`);

    this.addSql(`create table "datasources" ("id" uuid not null, "organization_id" uuid not null, "name" varchar(200) not null, "db_type" text not null, "host" varchar(255) not null, "port" int not null, "database_name" varchar(255) not null, "username" varchar(255) not null, "password_encrypted" text null, "password_version" int not null default 0, "ssl_mode" text not null default 'DISABLE', "connection_pool_size" int not null default 10, "max_rows_per_query" int not null default 1000, "statement_timeout_seconds" int not null default 30, "require_review_reads" boolean not null default false, "require_review_writes" boolean not null default true, "ai_analysis_enabled" boolean not null default true, "text_to_sql_enabled" boolean not null default false, "review_plan_id" uuid null, "active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "datasources_organization_id_index" on "datasources" ("organization_id");`);
    this.addSql(`create index "datasources_review_plan_id_index" on "datasources" ("review_plan_id");`);
    this.addSql(`alter table "datasources" add constraint "datasources_organization_id_name_unique" unique ("organization_id", "name");`);

    this.addSql(`create table "masking_policies" ("id" uuid not null, "organization_id" uuid not null, "datasource_id" uuid not null, "column_ref" varchar(400) not null, "strategy" text not null, "strategy_params" jsonb not null default '{}', "reveal_to_roles" jsonb not null default '[]', "reveal_to_group_ids" jsonb not null default '[]', "reveal_to_user_ids" jsonb not null default '[]', "enabled" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "masking_policies_organization_id_index" on "masking_policies" ("organization_id");`);
    this.addSql(`alter table "masking_policies" add constraint "masking_policies_datasource_id_column_ref_unique" unique ("datasource_id", "column_ref");`);

    this.addSql(`create table "query_requests" ("id" uuid not null, "organization_id" uuid not null, "datasource_id" uuid not null, "submitted_by_id" uuid not null, "client_request_id" varchar(200) null, "sql_text" text not null, "sql_hash" varchar(64) not null, "query_type" text not null, "read_only" boolean not null, "tables" jsonb not null, "has_where" boolean not null, "has_limit" boolean not null, "transactional" boolean not null, "status" text not null, "justification" text null, "scheduled_for" timestamptz null, "cicd_origin" boolean not null default false, "risk_score" int null, "risk_level" text null, "risk_summary" text null, "risk_issues" jsonb not null default '[]', "plan" jsonb not null, "current_stage" int not null default 1, "rows_affected" int null, "duration_ms" int null, "error" text null, "result" jsonb null, "executed_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "query_requests_organization_id_index" on "query_requests" ("organization_id");`);
    this.addSql(`create index "query_requests_datasource_id_index" on "query_requests" ("datasource_id");`);
    this.addSql(`create index "query_requests_submitted_by_id_index" on "query_requests" ("submitted_by_id");`);
    this.addSql(`create index "query_requests_status_index" on "query_requests" ("status");`);
    this.addSql(`alter table "query_requests" add constraint "query_requests_submitted_by_id_client_request_id_unique" unique ("submitted_by_id", "client_request_id");`);

    this.addSql(`create table "review_decisions" ("id" uuid not null, "organization_id" uuid not null, "request_id" uuid not null, "reviewer_id" uuid not null, "stage" int not null, "decision" text not null, "comment" text null, "sql_hash" varchar(64) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "review_decisions_organization_id_index" on "review_decisions" ("organization_id");`);
    this.addSql(`create index "review_decisions_reviewer_id_index" on "review_decisions" ("reviewer_id");`);
    this.addSql(`alter table "review_decisions" add constraint "review_decisions_request_id_reviewer_id_stage_unique" unique ("request_id", "reviewer_id", "stage");`);

    this.addSql(`create table "grants" ("id" uuid not null, "organization_id" uuid not null, "datasource_id" uuid not null, "user_id" uuid null, "group_id" uuid null, "can_read" boolean not null default true, "can_write" boolean not null default false, "can_ddl" boolean not null default false, "can_break_glass" boolean not null default false, "allowed_schemas" jsonb null, "allowed_tables" jsonb null, "restricted_columns" jsonb not null default '[]', "max_rows" int null, "expires_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "grants_organization_id_index" on "grants" ("organization_id");`);
    this.addSql(`create index "grants_user_id_index" on "grants" ("user_id");`);
    this.addSql(`create index "grants_group_id_index" on "grants" ("group_id");`);
    this.addSql(`alter table "grants" add constraint "grants_datasource_id_user_id_unique" unique ("datasource_id", "user_id");`);
    this.addSql(`alter table "grants" add constraint "grants_datasource_id_group_id_unique" unique ("datasource_id", "group_id");`);

    this.addSql(`alter table "review_plans" add constraint "review_plans_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "review_plans" add constraint "review_plans_auto_approve_max_risk_level_check" check ("auto_approve_max_risk_level" in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL'));`);
    this.addSql(`alter table "review_plans" enable row level security;`);
    this.addSql(`alter table "review_plans" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "review_plans" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "review_plans" to "accessflow_system" using (true) with check (true);`);

    this.addSql(`alter table "datasources" add constraint "datasources_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "datasources" add constraint "datasources_review_plan_id_foreign" foreign key ("review_plan_id") references "review_plans" ("id") on delete set null;`);
    this.addSql(`alter table "datasources" add constraint "datasources_db_type_check" check ("db_type" in ('POSTGRESQL', 'MYSQL', 'MARIADB'));`);
    this.addSql(`alter table "datasources" add constraint "datasources_ssl_mode_check" check ("ssl_mode" in ('DISABLE', 'REQUIRE', 'VERIFY_CA', 'VERIFY_FULL'));`);
    this.addSql(`alter table "datasources" enable row level security;`);
    this.addSql(`alter table "datasources" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "datasources" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "datasources" to "accessflow_system" using (true) with check (true);`);

    this.addSql(`alter table "masking_policies" add constraint "masking_policies_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "masking_policies" add constraint "masking_policies_datasource_id_foreign" foreign key ("datasource_id") references "datasources" ("id") on delete cascade;`);
    this.addSql(`alter table "masking_policies" add constraint "masking_policies_strategy_check" check ("strategy" in ('FULL', 'PARTIAL', 'HASH', 'EMAIL', 'FORMAT_PRESERVING'));`);
    this.addSql(`alter table "masking_policies" enable row level security;`);
    this.addSql(`alter table "masking_policies" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "masking_policies" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "masking_policies" to "accessflow_system" using (true) with check (true);`);

    this.addSql(`alter table "query_requests" add constraint "query_requests_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "query_requests" add constraint "query_requests_datasource_id_foreign" foreign key ("datasource_id") references "datasources" ("id") on delete cascade;`);
    this.addSql(`alter table "query_requests" add constraint "query_requests_submitted_by_id_foreign" foreign key ("submitted_by_id") references "users" ("id");`);
    this.addSql(`alter table "query_requests" add constraint "query_requests_query_type_check" check ("query_type" in ('SELECT', 'INSERT', 'UPDATE', 'DELETE', 'DDL'));`);
    this.addSql(`alter table "query_requests" add constraint "query_requests_status_check" check ("status" in ('PENDING_AI', 'PENDING_REVIEW', 'APPROVED', 'EXECUTING', 'EXECUTED', 'REJECTED', 'CHANGES_REQUESTED', 'CANCELLED', 'FAILED', 'TIMED_OUT'));`);
    this.addSql(`alter table "query_requests" add constraint "query_requests_risk_level_check" check ("risk_level" in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL'));`);
    this.addSql(`alter table "query_requests" enable row level security;`);
    this.addSql(`alter table "query_requests" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "query_requests" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "query_requests" to "accessflow_system" using (true) with check (true);`);

    this.addSql(`alter table "review_decisions" add constraint "review_decisions_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "review_decisions" add constraint "review_decisions_request_id_foreign" foreign key ("request_id") references "query_requests" ("id") on delete cascade;`);
    this.addSql(`alter table "review_decisions" add constraint "review_decisions_reviewer_id_foreign" foreign key ("reviewer_id") references "users" ("id");`);
    this.addSql(`alter table "review_decisions" add constraint "review_decisions_decision_check" check ("decision" in ('APPROVE', 'REJECT', 'REQUEST_CHANGES'));`);
    this.addSql(`alter table "review_decisions" enable row level security;`);
    this.addSql(`alter table "review_decisions" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "review_decisions" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "review_decisions" to "accessflow_system" using (true) with check (true);`);

    this.addSql(`alter table "grants" add constraint "grants_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "grants" add constraint "grants_datasource_id_foreign" foreign key ("datasource_id") references "datasources" ("id") on delete cascade;`);
    this.addSql(`alter table "grants" add constraint "grants_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "grants" add constraint "grants_group_id_foreign" foreign key ("group_id") references "user_groups" ("id") on delete cascade;`);
    this.addSql(`alter table "grants" add constraint "grants_one_subject" check ((user_id is null) <> (group_id is null));`);
    this.addSql(`alter table "grants" enable row level security;`);
    this.addSql(`alter table "grants" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "grants" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "grants" to "accessflow_system" using (true) with check (true);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "datasources" drop constraint "datasources_review_plan_id_foreign";`);
    this.addSql(`alter table "masking_policies" drop constraint "masking_policies_datasource_id_foreign";`);
    this.addSql(`alter table "query_requests" drop constraint "query_requests_datasource_id_foreign";`);
    this.addSql(`alter table "grants" drop constraint "grants_datasource_id_foreign";`);
    this.addSql(`alter table "review_decisions" drop constraint "review_decisions_request_id_foreign";`);

    this.addSql(`drop table if exists "review_plans" cascade;`);
    this.addSql(`drop table if exists "datasources" cascade;`);
    this.addSql(`drop table if exists "masking_policies" cascade;`);
    this.addSql(`drop table if exists "query_requests" cascade;`);
    this.addSql(`drop table if exists "review_decisions" cascade;`);
    this.addSql(`drop table if exists "grants" cascade;`);
  }

}

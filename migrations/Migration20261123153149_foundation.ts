import { Migration } from '@mikro-orm/migrations';

export class Migration20261123153149_foundation extends Migration {

  override name = 'Migration20261123153149_foundation';

  override up(): void | Promise<void> {
    this.addSql(`create table "organizations" ("id" uuid not null, "name" varchar(200) not null, "disabled" boolean not null default false, "max_datasources" int not null default 0, "max_users" int not null default 0, "max_queries_per_day" int not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "organizations" add constraint "organizations_name_unique" unique ("name");`);

    this.addSql(`create table "audit_events" ("id" uuid not null, "organization_id" uuid not null, "seq" bigint not null, "actor_id" uuid null, "actor_type" varchar(32) not null, "action" varchar(100) not null, "target_type" varchar(100) null, "target_id" varchar(200) null, "metadata" jsonb not null, "source" text not null, "ip_address" varchar(64) null, "user_agent" varchar(500) null, "created_at" timestamptz not null, "previous_hash" varchar(64) null, "hash" varchar(64) not null, primary key ("id"));`);
    this.addSql(`create index "audit_events_action_index" on "audit_events" ("action");`);
    this.addSql(`alter table "audit_events" add constraint "audit_events_organization_id_seq_unique" unique ("organization_id", "seq");`);

    this.addSql(`create table "users" ("id" uuid not null, "organization_id" uuid not null, "kind" text not null default 'HUMAN', "email" varchar(320) not null, "display_name" varchar(200) not null, "password_hash" varchar(200) null, "role" text not null, "platform_admin" boolean not null default false, "active" boolean not null default true, "attributes" jsonb not null default '{}', "deactivated_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "users_organization_id_index" on "users" ("organization_id");`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);

    this.addSql(`create table "sessions" ("id" uuid not null, "organization_id" uuid not null, "user_id" uuid not null, "refresh_token_hash" varchar(64) not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "sessions_organization_id_index" on "sessions" ("organization_id");`);
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);
    this.addSql(`alter table "sessions" add constraint "sessions_refresh_token_hash_unique" unique ("refresh_token_hash");`);

    this.addSql(`create table "api_keys" ("id" uuid not null, "organization_id" uuid not null, "user_id" uuid not null, "name" varchar(200) not null, "prefix" varchar(16) not null, "key_hash" varchar(64) not null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, "created_by_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "api_keys_organization_id_index" on "api_keys" ("organization_id");`);
    this.addSql(`create index "api_keys_user_id_index" on "api_keys" ("user_id");`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_key_hash_unique" unique ("key_hash");`);

    this.addSql(`create table "user_groups" ("id" uuid not null, "organization_id" uuid not null, "name" varchar(200) not null, "description" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "user_groups_organization_id_index" on "user_groups" ("organization_id");`);
    this.addSql(`alter table "user_groups" add constraint "user_groups_organization_id_name_unique" unique ("organization_id", "name");`);

    this.addSql(`create table "group_memberships" ("id" uuid not null, "organization_id" uuid not null, "group_id" uuid not null, "user_id" uuid not null, "source" text not null default 'MANUAL', "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "group_memberships_organization_id_index" on "group_memberships" ("organization_id");`);
    this.addSql(`create index "group_memberships_user_id_index" on "group_memberships" ("user_id");`);
    this.addSql(`alter table "group_memberships" add constraint "group_memberships_group_id_user_id_unique" unique ("group_id", "user_id");`);

    this.addSql(`alter table "organizations" enable row level security;`);
    this.addSql(`alter table "organizations" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "organizations" to "accessflow_app" using (id = nullif(current_setting('app.org_id', true), '')::uuid) with check (id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "organizations" to "accessflow_system" using (true) with check (true);`);

    this.addSql(`alter table "audit_events" add constraint "audit_events_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "audit_events" add constraint "audit_events_source_check" check ("source" in ('API', 'BOOTSTRAP', 'SYSTEM', 'SCHEDULER'));`);
    this.addSql(`alter table "audit_events" enable row level security;`);
    this.addSql(`alter table "audit_events" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "audit_events" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "audit_events" to "accessflow_system" using (true) with check (true);`);

    this.addSql(`alter table "users" add constraint "users_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "users" add constraint "users_kind_check" check ("kind" in ('HUMAN', 'SERVICE_ACCOUNT'));`);
    this.addSql(`alter table "users" add constraint "users_role_check" check ("role" in ('READONLY', 'ANALYST', 'REVIEWER', 'ADMIN', 'AUDITOR'));`);
    this.addSql(`alter table "users" enable row level security;`);
    this.addSql(`alter table "users" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "users" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "users" to "accessflow_system" using (true) with check (true);`);

    this.addSql(`alter table "sessions" add constraint "sessions_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id");`);
    this.addSql(`alter table "sessions" enable row level security;`);
    this.addSql(`alter table "sessions" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "sessions" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "sessions" to "accessflow_system" using (true) with check (true);`);

    this.addSql(`alter table "api_keys" add constraint "api_keys_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_user_id_foreign" foreign key ("user_id") references "users" ("id");`);
    this.addSql(`alter table "api_keys" enable row level security;`);
    this.addSql(`alter table "api_keys" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "api_keys" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "api_keys" to "accessflow_system" using (true) with check (true);`);

    this.addSql(`alter table "user_groups" add constraint "user_groups_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "user_groups" enable row level security;`);
    this.addSql(`alter table "user_groups" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "user_groups" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "user_groups" to "accessflow_system" using (true) with check (true);`);

    this.addSql(`alter table "group_memberships" add constraint "group_memberships_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "group_memberships" add constraint "group_memberships_group_id_foreign" foreign key ("group_id") references "user_groups" ("id") on delete cascade;`);
    this.addSql(`alter table "group_memberships" add constraint "group_memberships_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "group_memberships" add constraint "group_memberships_source_check" check ("source" in ('MANUAL', 'IDP'));`);
    this.addSql(`alter table "group_memberships" enable row level security;`);
    this.addSql(`alter table "group_memberships" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "group_memberships" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "group_memberships" to "accessflow_system" using (true) with check (true);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "audit_events" drop constraint "audit_events_organization_id_foreign";`);
    this.addSql(`alter table "users" drop constraint "users_organization_id_foreign";`);
    this.addSql(`alter table "sessions" drop constraint "sessions_organization_id_foreign";`);
    this.addSql(`alter table "api_keys" drop constraint "api_keys_organization_id_foreign";`);
    this.addSql(`alter table "user_groups" drop constraint "user_groups_organization_id_foreign";`);
    this.addSql(`alter table "group_memberships" drop constraint "group_memberships_organization_id_foreign";`);
    this.addSql(`alter table "sessions" drop constraint "sessions_user_id_foreign";`);
    this.addSql(`alter table "api_keys" drop constraint "api_keys_user_id_foreign";`);
    this.addSql(`alter table "group_memberships" drop constraint "group_memberships_user_id_foreign";`);
    this.addSql(`alter table "group_memberships" drop constraint "group_memberships_group_id_foreign";`);

    this.addSql(`drop table if exists "organizations" cascade;`);
    this.addSql(`drop table if exists "audit_events" cascade;`);
    this.addSql(`drop table if exists "users" cascade;`);
    this.addSql(`drop table if exists "sessions" cascade;`);
    this.addSql(`drop table if exists "api_keys" cascade;`);
    this.addSql(`drop table if exists "user_groups" cascade;`);
    this.addSql(`drop table if exists "group_memberships" cascade;`);
  }

}

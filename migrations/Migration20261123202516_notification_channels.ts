import { Migration } from '@mikro-orm/migrations';

export class Migration20261123202516_notification_channels extends Migration {

  override name = 'Migration20261123202516_notification_channels';

  override up(): void | Promise<void> {
    this.addSql(`create table "notification_cursors" ("organization_id" uuid not null, "last_seq" bigint not null default '0', "updated_at" timestamptz not null, primary key ("organization_id"));`);

    this.addSql(`create table "notification_channels" ("id" uuid not null, "organization_id" uuid not null, "name" varchar(200) not null, "channel_type" text not null, "settings" jsonb not null default '{}', "secrets_encrypted" text null, "secrets_version" int not null default 0, "all_events" boolean not null default false, "active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "notification_channels_organization_id_index" on "notification_channels" ("organization_id");`);
    this.addSql(`alter table "notification_channels" add constraint "notification_channels_organization_id_name_unique" unique ("organization_id", "name");`);

    this.addSql(`create table "notification_deliveries" ("id" uuid not null, "organization_id" uuid not null, "channel_id" uuid not null, "audit_event_id" uuid not null, "event" varchar(64) not null, "payload" jsonb not null, "status" text not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "last_error" text null, "delivered_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "notification_deliveries_organization_id_index" on "notification_deliveries" ("organization_id");`);
    this.addSql(`create index "notification_deliveries_status_next_attempt_at_index" on "notification_deliveries" ("status", "next_attempt_at");`);
    this.addSql(`alter table "notification_deliveries" add constraint "notification_deliveries_channel_id_audit_event_id_unique" unique ("channel_id", "audit_event_id");`);

    this.addSql(`alter table "review_plans" add "notify_channel_ids" jsonb not null default '[]';`);

    this.addSql(`alter table "notification_cursors" add constraint "notification_cursors_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "notification_cursors" enable row level security;`);
    this.addSql(`alter table "notification_cursors" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "notification_cursors" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "notification_cursors" to "accessflow_system" using (true) with check (true);`);

    this.addSql(`alter table "notification_channels" add constraint "notification_channels_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "notification_channels" add constraint "notification_channels_channel_type_check" check ("channel_type" in ('EMAIL', 'SLACK', 'WEBHOOK', 'DISCORD', 'TELEGRAM', 'MS_TEAMS', 'PAGERDUTY'));`);
    this.addSql(`alter table "notification_channels" enable row level security;`);
    this.addSql(`alter table "notification_channels" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "notification_channels" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "notification_channels" to "accessflow_system" using (true) with check (true);`);

    this.addSql(`alter table "notification_deliveries" add constraint "notification_deliveries_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "notification_deliveries" add constraint "notification_deliveries_channel_id_foreign" foreign key ("channel_id") references "notification_channels" ("id") on delete cascade;`);
    this.addSql(`alter table "notification_deliveries" add constraint "notification_deliveries_status_check" check ("status" in ('PENDING', 'DELIVERED', 'DEAD'));`);
    this.addSql(`alter table "notification_deliveries" enable row level security;`);
    this.addSql(`alter table "notification_deliveries" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "notification_deliveries" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "notification_deliveries" to "accessflow_system" using (true) with check (true);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "notification_deliveries" drop constraint "notification_deliveries_channel_id_foreign";`);

    this.addSql(`drop table if exists "notification_cursors" cascade;`);
    this.addSql(`drop table if exists "notification_channels" cascade;`);
    this.addSql(`drop table if exists "notification_deliveries" cascade;`);

    this.addSql(`alter table "review_plans" drop column "notify_channel_ids";`);
  }

}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261123201906_ai_configs extends Migration {

  override name = 'Migration20261123201906_ai_configs';

  override up(): void | Promise<void> {
    this.addSql(`create table "ai_configs" ("id" uuid not null, "organization_id" uuid not null, "name" varchar(200) not null, "ai_provider" text not null, "model" varchar(200) not null, "endpoint" varchar(500) null, "api_key_encrypted" text null, "api_key_version" int not null default 0, "timeout_ms" int not null default 30000, "max_prompt_tokens" int not null default 8000, "max_completion_tokens" int not null default 1024, "system_prompt_template" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "ai_configs_organization_id_index" on "ai_configs" ("organization_id");`);
    this.addSql(`alter table "ai_configs" add constraint "ai_configs_organization_id_name_unique" unique ("organization_id", "name");`);

    this.addSql(`create table "ai_reviews" ("id" uuid not null, "organization_id" uuid not null, "request_id" uuid not null, "revision" int not null, "status" text not null default 'RUNNING', "attempts" int not null default 1, "claimed_at" timestamptz not null, "ai_config_id" uuid null, "provider" varchar(40) null, "model" varchar(200) null, "latency_ms" int null, "input_tokens" int null, "output_tokens" int null, "score" int null, "level" text null, "error" text null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "ai_reviews_organization_id_index" on "ai_reviews" ("organization_id");`);
    this.addSql(`alter table "ai_reviews" add constraint "ai_reviews_request_id_revision_unique" unique ("request_id", "revision");`);

    this.addSql(`alter table "datasources" add "ai_config_id" uuid null;`);
    this.addSql(`alter table "datasources" add constraint "datasources_ai_config_id_foreign" foreign key ("ai_config_id") references "ai_configs" ("id") on delete set null;`);
    this.addSql(`create index "datasources_ai_config_id_index" on "datasources" ("ai_config_id");`);

    this.addSql(`alter table "ai_configs" add constraint "ai_configs_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "ai_configs" add constraint "ai_configs_ai_provider_check" check ("ai_provider" in ('ANTHROPIC', 'OPENAI', 'OPENAI_COMPATIBLE', 'OLLAMA', 'HUGGING_FACE'));`);
    this.addSql(`alter table "ai_configs" enable row level security;`);
    this.addSql(`alter table "ai_configs" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "ai_configs" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "ai_configs" to "accessflow_system" using (true) with check (true);`);

    this.addSql(`alter table "ai_reviews" add constraint "ai_reviews_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`);
    this.addSql(`alter table "ai_reviews" add constraint "ai_reviews_request_id_foreign" foreign key ("request_id") references "query_requests" ("id") on delete cascade;`);
    this.addSql(`alter table "ai_reviews" add constraint "ai_reviews_status_check" check ("status" in ('RUNNING', 'DONE'));`);
    this.addSql(`alter table "ai_reviews" add constraint "ai_reviews_level_check" check ("level" in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL'));`);
    this.addSql(`alter table "ai_reviews" enable row level security;`);
    this.addSql(`alter table "ai_reviews" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "ai_reviews" to "accessflow_app" using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid) with check (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);`);
    this.addSql(`create policy "system_access" on "ai_reviews" to "accessflow_system" using (true) with check (true);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "datasources" drop constraint "datasources_ai_config_id_foreign";`);

    this.addSql(`drop table if exists "ai_configs" cascade;`);
    this.addSql(`drop table if exists "ai_reviews" cascade;`);

    this.addSql(`drop index "datasources_ai_config_id_index";`);
    this.addSql(`alter table "datasources" drop column "ai_config_id";`);
  }

}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261123181304_break_glass extends Migration {

  override name = 'Migration20261123181304_break_glass';

  override up(): void | Promise<void> {
    this.addSql(`alter table "query_requests" add "break_glass" boolean not null default false, add "retro_review_status" text null, add "retro_reviewed_by_id" uuid null, add "retro_reviewed_at" timestamptz null, add "retro_review_comment" text null;`);
    this.addSql(`alter table "query_requests" add constraint "query_requests_retro_reviewed_by_id_foreign" foreign key ("retro_reviewed_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "query_requests" add constraint "query_requests_retro_review_status_check" check ("retro_review_status" in ('PENDING', 'ACKNOWLEDGED'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "query_requests" drop constraint "query_requests_retro_reviewed_by_id_foreign";`);

    this.addSql(`alter table "query_requests" drop constraint "query_requests_retro_review_status_check";`);
    this.addSql(`alter table "query_requests" drop column "break_glass", drop column "retro_review_status", drop column "retro_reviewed_by_id", drop column "retro_reviewed_at", drop column "retro_review_comment";`);
  }

}

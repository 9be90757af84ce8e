import { Migration } from '@mikro-orm/migrations';

export class Migration20261123191708_review_revisions extends Migration {

  override name = 'Migration20261123191708_review_revisions';

  override up(): void | Promise<void> {
    this.addSql(`alter table "query_requests" add "revision" int not null default 1;`);

    this.addSql(`alter table "review_decisions" drop constraint "review_decisions_request_id_reviewer_id_stage_sql_hash_unique";`);
    this.addSql(`alter table "review_decisions" add "revision" int not null default 1;`);
    this.addSql(`alter table "review_decisions" add constraint "review_decisions_request_id_reviewer_id_stage_revision_unique" unique ("request_id", "reviewer_id", "stage", "revision");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "query_requests" drop column "revision";`);

    this.addSql(`alter table "review_decisions" drop constraint "review_decisions_request_id_reviewer_id_stage_revision_unique";`);
    this.addSql(`alter table "review_decisions" drop column "revision";`);
    this.addSql(`alter table "review_decisions" add constraint "review_decisions_request_id_reviewer_id_stage_sql_hash_unique" unique ("request_id", "reviewer_id", "stage", "sql_hash");`);
  }

}

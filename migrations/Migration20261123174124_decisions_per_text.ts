import { Migration } from '@mikro-orm/migrations';

export class Migration20261123174124_decisions_per_text extends Migration {

  override name = 'Migration20261123174124_decisions_per_text';

  override up(): void | Promise<void> {
    this.addSql(`alter table "review_decisions" drop constraint "review_decisions_request_id_reviewer_id_stage_unique";`);
    this.addSql(`alter table "review_decisions" add constraint "review_decisions_request_id_reviewer_id_stage_sql_hash_unique" unique ("request_id", "reviewer_id", "stage", "sql_hash");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "review_decisions" drop constraint "review_decisions_request_id_reviewer_id_stage_sql_hash_unique";`);
    this.addSql(`alter table "review_decisions" add constraint "review_decisions_request_id_reviewer_id_stage_unique" unique ("request_id", "reviewer_id", "stage");`);
  }

}

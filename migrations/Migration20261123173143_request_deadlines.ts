import { Migration } from '@mikro-orm/migrations';

export class Migration20261123173143_request_deadlines extends Migration {

  override name = 'Migration20261123173143_request_deadlines';

  override up(): void | Promise<void> {
    this.addSql(`alter table "query_requests" add "review_deadline" timestamptz null;`);
    // Requests already in review time out by the plan they were submitted under.
    this.addSql(`update "query_requests" set "review_deadline" = "created_at" + ("plan"->>'approvalTimeoutHours')::int * interval '1 hour' where "status" in ('PENDING_AI', 'PENDING_REVIEW');`);
    this.addSql(`create index "query_requests_scheduled_for_index" on "query_requests" ("scheduled_for");`);
    this.addSql(`create index "query_requests_review_deadline_index" on "query_requests" ("review_deadline");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "query_requests_scheduled_for_index";`);
    this.addSql(`drop index "query_requests_review_deadline_index";`);
    this.addSql(`alter table "query_requests" drop column "review_deadline";`);
  }

}

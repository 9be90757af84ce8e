import { Migration } from '@mikro-orm/migrations';

export class Migration20261123185418_decision_reason extends Migration {

  override name = 'Migration20261123185418_decision_reason';

  override up(): void | Promise<void> {
    this.addSql(`alter table "query_requests" add "decision_reason" text null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "query_requests" drop column "decision_reason";`);
  }

}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261123192130_read_replicas extends Migration {

  override name = 'Migration20261123192130_read_replicas';

  override up(): void | Promise<void> {
    this.addSql(`alter table "datasources" add "replica_host" varchar(255) null, add "replica_port" int null;`);

    this.addSql(`alter table "query_requests" add "executed_on" text null;`);
    this.addSql(`alter table "query_requests" add constraint "query_requests_executed_on_check" check ("executed_on" in ('PRIMARY', 'REPLICA'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "datasources" drop column "replica_host", drop column "replica_port";`);

    this.addSql(`alter table "query_requests" drop constraint "query_requests_executed_on_check";`);
    this.addSql(`alter table "query_requests" drop column "executed_on";`);
  }

}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261123175712_canonical_statements extends Migration {

  override name = 'Migration20261123175712_canonical_statements';

  override up(): void | Promise<void> {
    this.addSql(`alter table "query_requests" add "canonical_hash" varchar(64) null;`);
    this.addSql(`create index "query_requests_datasource_id_canonical_hash_index" on "query_requests" ("datasource_id", "canonical_hash");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "query_requests_datasource_id_canonical_hash_index";`);
    this.addSql(`alter table "query_requests" drop column "canonical_hash";`);
  }

}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261123235850_datasource_ssl_root_certificate extends Migration {

  override name = 'Migration20261123235850_datasource_ssl_root_certificate';

  override up(): void | Promise<void> {
    this.addSql(`alter table "datasources" add "ssl_root_certificate" text null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "datasources" drop column "ssl_root_certificate";`);
  }

}

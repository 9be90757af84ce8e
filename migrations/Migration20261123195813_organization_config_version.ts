import { Migration } from '@mikro-orm/migrations';

export class Migration20261123195813_organization_config_version extends Migration {

  override name = 'Migration20261123195813_organization_config_version';

  override up(): void | Promise<void> {
    this.addSql(`alter table "organizations" add "config_version" bigint not null default '0';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "organizations" drop column "config_version";`);
  }

}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261123165854_audit_anchor extends Migration {

  override name = 'Migration20261123165854_audit_anchor';

  override up(): void | Promise<void> {
    this.addSql(`alter table "organizations" add "audit_head_seq" bigint not null default '0', add "audit_head_hash" varchar(64) null, add "audit_head_mac" varchar(64) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "organizations" drop column "audit_head_seq", drop column "audit_head_hash", drop column "audit_head_mac";`);
  }

}

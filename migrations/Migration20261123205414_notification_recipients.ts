import { Migration } from '@mikro-orm/migrations';

export class Migration20261123205414_notification_recipients extends Migration {

  override name = 'Migration20261123205414_notification_recipients';

  override up(): void | Promise<void> {
    this.addSql(`alter table "notification_deliveries" add "recipient_user_id" uuid null;`);
    this.addSql(`alter table "notification_deliveries" add constraint "notification_deliveries_recipient_user_id_foreign" foreign key ("recipient_user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "notification_deliveries" alter column "channel_id" drop not null;`);
    this.addSql(`create index "notification_deliveries_recipient_user_id_index" on "notification_deliveries" ("recipient_user_id");`);
    this.addSql(`alter table "notification_deliveries" add constraint "notification_deliveries_recipient_user_id_audit_event_id_unique" unique ("recipient_user_id", "audit_event_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "notification_deliveries" drop constraint "notification_deliveries_recipient_user_id_foreign";`);

    this.addSql(`drop index "notification_deliveries_recipient_user_id_index";`);
    this.addSql(`alter table "notification_deliveries" drop constraint "notification_deliveries_recipient_user_id_audit_event_id_unique";`);
    this.addSql(`alter table "notification_deliveries" drop column "recipient_user_id";`);
    this.addSql(`alter table "notification_deliveries" alter column "channel_id" set not null;`);
  }

}

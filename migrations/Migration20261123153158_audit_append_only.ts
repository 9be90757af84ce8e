import { Migration } from '@mikro-orm/migrations';

/** The audit log is append-only for the server's roles: no UPDATE, DELETE or TRUNCATE (FEATURES G1). */
export class Migration20261123153158_audit_append_only extends Migration {

  override name = 'Migration20261123153158_audit_append_only';

  override up(): void | Promise<void> {
    this.addSql(`revoke update, delete, truncate on "audit_events" from accessflow_app, accessflow_system;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`grant update, delete on "audit_events" to accessflow_app, accessflow_system;`);
  }

}

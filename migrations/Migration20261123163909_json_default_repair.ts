import { Migration } from '@mikro-orm/migrations';

/**
 * Empty JSON defaults were written as JSON strings ("[]", "{}") instead of an empty array or object; turn any
 * such value back into the JSON it spells.
 */
export class Migration20261123163909_json_default_repair extends Migration {

  override name = 'Migration20261123163909_json_default_repair';

  override up(): void | Promise<void> {
    this.addSql(`update "users" set "attributes" = ("attributes" #>> '{}')::jsonb where jsonb_typeof("attributes") = 'string';`);
    this.addSql(`update "review_plans" set "approvers" = ("approvers" #>> '{}')::jsonb where jsonb_typeof("approvers") = 'string';`);
    this.addSql(`update "grants" set "restricted_columns" = ("restricted_columns" #>> '{}')::jsonb where jsonb_typeof("restricted_columns") = 'string';`);
    this.addSql(`update "masking_policies" set "strategy_params" = ("strategy_params" #>> '{}')::jsonb where jsonb_typeof("strategy_params") = 'string';`);
    this.addSql(`update "masking_policies" set "reveal_to_roles" = ("reveal_to_roles" #>> '{}')::jsonb where jsonb_typeof("reveal_to_roles") = 'string';`);
    this.addSql(`update "masking_policies" set "reveal_to_group_ids" = ("reveal_to_group_ids" #>> '{}')::jsonb where jsonb_typeof("reveal_to_group_ids") = 'string';`);
    this.addSql(`update "masking_policies" set "reveal_to_user_ids" = ("reveal_to_user_ids" #>> '{}')::jsonb where jsonb_typeof("reveal_to_user_ids") = 'string';`);
    this.addSql(`update "row_security_policies" set "applies_to_roles" = ("applies_to_roles" #>> '{}')::jsonb where jsonb_typeof("applies_to_roles") = 'string';`);
    this.addSql(`update "row_security_policies" set "applies_to_group_ids" = ("applies_to_group_ids" #>> '{}')::jsonb where jsonb_typeof("applies_to_group_ids") = 'string';`);
    this.addSql(`update "row_security_policies" set "applies_to_user_ids" = ("applies_to_user_ids" #>> '{}')::jsonb where jsonb_typeof("applies_to_user_ids") = 'string';`);
    this.addSql(`update "query_requests" set "risk_issues" = ("risk_issues" #>> '{}')::jsonb where jsonb_typeof("risk_issues") = 'string';`);
  }

}

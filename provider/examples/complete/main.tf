# A complete governance setup: who may touch the shop database, how their requests are reviewed, which rows
# they see and which columns are masked.

resource "accessflow_user_group" "analysts" {
  name        = "analysts"
  description = "Analysts of the shop team"
}

# Where the shop's review events are announced: the DBA list, by mail over the server's SMTP (SMTP_HOST). Slack,
# Discord, Teams, signed webhooks, Telegram and PagerDuty take their secret (webhook URL, signing secret, token,
# routing key) in the write-only `secrets` map, from an ephemeral variable, with `secrets_wo_version`.
resource "accessflow_notification_channel" "dba_mail" {
  name         = "dba-mail"
  channel_type = "EMAIL"
  config = {
    to   = "dba-oncall@example.com"
    from = "AccessFlow <accessflow@example.com>"
  }
}

resource "accessflow_review_plan" "two_step" {
  name                   = "two-step"
  description            = "A reviewer, then an admin"
  requires_ai_review     = true
  min_approvals_required = 1
  approval_timeout_hours = 24
  notify_channel_ids     = [accessflow_notification_channel.dba_mail.id]
  approvers = [
    { stage = 1, role = "REVIEWER" },
    { stage = 2, role = "ADMIN" },
  ]
}

# The model that reviews the shop's statements before people do (the review plan requires AI review): a
# self-hosted Ollama here; ANTHROPIC or OPENAI need only an api_key and no endpoint.
resource "accessflow_ai_config" "reviewer" {
  name                   = "shop-reviewer"
  ai_provider            = "OLLAMA"
  model                  = "qwen2.5-coder:7b"
  endpoint               = var.ai_endpoint
  api_key                = var.ai_api_key
  api_key_wo_version     = 1
  timeout_ms             = 20000
  max_completion_tokens  = 800
  system_prompt_template = "Review this {{db_type}} statement for the shop team.\nTables: {{schema_context}}\n{{sql}}\nAnswer in {{language}}."
}

resource "accessflow_datasource" "shop" {
  name                  = "shop"
  db_type               = "POSTGRESQL"
  host                  = var.db_host
  port                  = var.db_port
  database_name         = var.db_name
  username              = var.db_username
  password              = var.db_password
  password_wo_version   = 1
  ssl_mode              = "DISABLE"
  max_rows_per_query    = 500
  require_review_writes = true
  review_plan_id        = accessflow_review_plan.two_step.id
  ai_config_id          = accessflow_ai_config.reviewer.id
}

# The identity pipelines use (its API key is created once, outside Terraform: keys are shown only once).
resource "accessflow_service_account" "ci" {
  name = "ci-pipeline"
  role = "ANALYST"
}

resource "accessflow_grant" "ci_read" {
  datasource_id = accessflow_datasource.shop.id
  user_id       = accessflow_service_account.ci.id
  can_read      = true
}

resource "accessflow_grant" "analysts_read" {
  datasource_id      = accessflow_datasource.shop.id
  group_id           = accessflow_user_group.analysts.id
  can_read           = true
  allowed_schemas    = ["public"]
  restricted_columns = ["public.customers.ssn"]
  max_rows           = 200
}

resource "accessflow_masking_policy" "email" {
  datasource_id   = accessflow_datasource.shop.id
  column_ref      = "public.customers.email"
  strategy        = "PARTIAL"
  strategy_params = { visible_suffix = "4" }
  reveal_to_roles = ["ADMIN"]
}

resource "accessflow_row_security_policy" "own_region" {
  datasource_id        = accessflow_datasource.shop.id
  table_name           = "public.orders"
  column_name          = "region"
  operator             = "EQUALS"
  value_type           = "VARIABLE"
  value_expression     = ":user.region"
  applies_to_group_ids = [accessflow_user_group.analysts.id]
}

resource "accessflow_classification_tag" "customers_ssn" {
  datasource_id  = accessflow_datasource.shop.id
  table_name     = "public.customers"
  column_name    = "ssn"
  classification = "PII"
}

# The condition is compared as data: the server's normalised form (upper-cased enums, sorted keys) is no drift.
resource "accessflow_routing_policy" "deletes_on_orders" {
  name               = "deletes-on-orders-need-two"
  datasource_id      = accessflow_datasource.shop.id
  priority           = 10
  action             = "REQUIRE_APPROVALS"
  required_approvals = 2
  reason             = "Deleting orders needs two approvals"
  condition = jsonencode({
    type = "and"
    children = [
      { type = "query_type", any_of = ["delete"] },
      { type = "referenced_table", globs = ["public.orders"] },
    ]
  })
}

resource "accessflow_query_template" "orders_by_region" {
  name          = "orders-by-region"
  description   = "Orders of one region"
  datasource_id = accessflow_datasource.shop.id
  body          = "SELECT id, total FROM public.orders WHERE region = :region"
  visibility    = "TEAM"
}

data "accessflow_datasource" "shop" {
  name = accessflow_datasource.shop.name
}

data "accessflow_review_plan" "two_step" {
  name = accessflow_review_plan.two_step.name
}

data "accessflow_user_group" "analysts" {
  id = accessflow_user_group.analysts.id
}

# A plan-time check: what would a pipeline's DELETE on orders trigger? Nothing is submitted.
data "accessflow_routing_simulation" "delete_order" {
  datasource_id = accessflow_datasource.shop.id
  query         = "DELETE FROM public.orders WHERE id = 1"
  depends_on    = [accessflow_routing_policy.deletes_on_orders]
}

check "deleting_orders_needs_two_approvals" {
  assert {
    condition     = data.accessflow_routing_simulation.delete_order.required_approvals == 2
    error_message = "A DELETE on public.orders should need two approvals."
  }
}

output "delete_order_decision" {
  value = {
    policy    = data.accessflow_routing_simulation.delete_order.policy_name
    action    = data.accessflow_routing_simulation.delete_order.action
    approvals = data.accessflow_routing_simulation.delete_order.required_approvals
  }
}

output "shop_datasource_id" {
  value = data.accessflow_datasource.shop.id
}

output "review_stages" {
  value = length(data.accessflow_review_plan.two_step.approvers)
}

output "analysts_group" {
  value = data.accessflow_user_group.analysts.name
}

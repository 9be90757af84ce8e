# The same objects as examples/cdktf/main.ts (CDK Terrain); the test plans both and compares.
resource "accessflow_user_group" "oncall" {
  name        = "oncall"
  description = "Paged for production incidents"
}

resource "accessflow_review_plan" "oncall_review" {
  name                   = "oncall-review"
  min_approvals_required = 1
  approvers = [
    { stage = 1, group_id = accessflow_user_group.oncall.id },
  ]
}

resource "accessflow_service_account" "deployer" {
  name = "deployer"
  role = "REVIEWER"
}

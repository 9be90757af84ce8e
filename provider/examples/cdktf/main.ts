/** examples/cdktf/main.tf written with the generated CDK Terrain bindings (provider/cdktf). */
import { App, TerraformStack } from 'cdktn';
import type { Construct } from 'constructs';
import { AccessflowProvider } from '../../cdktf/providers/accessflow/provider/index.ts';
import { ReviewPlan } from '../../cdktf/providers/accessflow/review-plan/index.ts';
import { ServiceAccount } from '../../cdktf/providers/accessflow/service-account/index.ts';
import { UserGroup } from '../../cdktf/providers/accessflow/user-group/index.ts';

export class Governance extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AccessflowProvider(this, 'accessflow', {});
    const oncall = new UserGroup(this, 'oncall', { name: 'oncall', description: 'Paged for production incidents' });
    new ReviewPlan(this, 'oncall_review', {
      name: 'oncall-review',
      minApprovalsRequired: 1,
      approvers: [{ stage: 1, groupId: oncall.id }],
    });
    new ServiceAccount(this, 'deployer', { name: 'deployer', role: 'REVIEWER' });
  }
}

/** Synthesizes the stack into `outdir`; returns the path of its cdk.tf.json. */
export function synth(outdir: string): string {
  const app = new App({ outdir });
  new Governance(app, 'governance');
  app.synth();
  return `${outdir}/stacks/governance/cdk.tf.json`;
}

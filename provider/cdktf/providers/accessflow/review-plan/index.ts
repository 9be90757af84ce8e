// https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface ReviewPlanConfig extends cdktn.TerraformMetaArguments {
  /**
  * Pending longer than this → TIMED_OUT; 1–8760.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan#approval_timeout_hours ReviewPlan#approval_timeout_hours}
  */
  readonly approvalTimeoutHours?: number;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan#approvers ReviewPlan#approvers}
  */
  readonly approvers?: ReviewPlanApprovers[] | cdktn.IResolvable;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan#auto_approve_max_risk_level ReviewPlan#auto_approve_max_risk_level}
  */
  readonly autoApproveMaxRiskLevel?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan#auto_approve_reads ReviewPlan#auto_approve_reads}
  */
  readonly autoApproveReads?: boolean | cdktn.IResolvable;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan#description ReviewPlan#description}
  */
  readonly description?: string;
  /**
  * Approvals each stage needs, 1–10.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan#min_approvals_required ReviewPlan#min_approvals_required}
  */
  readonly minApprovalsRequired?: number;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan#name ReviewPlan#name}
  */
  readonly name: string;
  /**
  * Notification channels of this organization; omitted → none.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan#notify_channel_ids ReviewPlan#notify_channel_ids}
  */
  readonly notifyChannelIds?: string[];
  /**
  * Risk review (AI, or the built-in rules) before routing.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan#requires_ai_review ReviewPlan#requires_ai_review}
  */
  readonly requiresAiReview?: boolean | cdktn.IResolvable;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan#requires_human_approval ReviewPlan#requires_human_approval}
  */
  readonly requiresHumanApproval?: boolean | cdktn.IResolvable;
}
export interface ReviewPlanApprovers {
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan#group_id ReviewPlan#group_id}
  */
  readonly groupId?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan#role ReviewPlan#role}
  */
  readonly role?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan#stage ReviewPlan#stage}
  */
  readonly stage: number;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan#user_id ReviewPlan#user_id}
  */
  readonly userId?: string;
}

export function reviewPlanApproversToTerraform(struct?: ReviewPlanApprovers | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  return {
    group_id: cdktn.stringToTerraform(struct!.groupId),
    role: cdktn.stringToTerraform(struct!.role),
    stage: cdktn.numberToTerraform(struct!.stage),
    user_id: cdktn.stringToTerraform(struct!.userId),
  }
}


export function reviewPlanApproversToHclTerraform(struct?: ReviewPlanApprovers | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  const attrs = {
    group_id: {
      value: cdktn.stringToHclTerraform(struct!.groupId),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    role: {
      value: cdktn.stringToHclTerraform(struct!.role),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    stage: {
      value: cdktn.numberToHclTerraform(struct!.stage),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    user_id: {
      value: cdktn.stringToHclTerraform(struct!.userId),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class ReviewPlanApproversOutputReference extends cdktn.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktn.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktn.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): ReviewPlanApprovers | cdktn.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._groupId !== undefined) {
      hasAnyValues = true;
      internalValueResult.groupId = this._groupId;
    }
    if (this._role !== undefined) {
      hasAnyValues = true;
      internalValueResult.role = this._role;
    }
    if (this._stage !== undefined) {
      hasAnyValues = true;
      internalValueResult.stage = this._stage;
    }
    if (this._userId !== undefined) {
      hasAnyValues = true;
      internalValueResult.userId = this._userId;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: ReviewPlanApprovers | cdktn.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._groupId = undefined;
      this._role = undefined;
      this._stage = undefined;
      this._userId = undefined;
    }
    else if (cdktn.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._groupId = value.groupId;
      this._role = value.role;
      this._stage = value.stage;
      this._userId = value.userId;
    }
  }

  // group_id - computed: false, optional: true, required: false
  private _groupId?: string; 
  public get groupId() {
    return this.getStringAttribute('group_id');
  }
  public set groupId(value: string) {
    this._groupId = value;
  }
  public resetGroupId() {
    this._groupId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get groupIdInput() {
    return this._groupId;
  }

  // role - computed: false, optional: true, required: false
  private _role?: string; 
  public get role() {
    return this.getStringAttribute('role');
  }
  public set role(value: string) {
    this._role = value;
  }
  public resetRole() {
    this._role = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get roleInput() {
    return this._role;
  }

  // stage - computed: false, optional: false, required: true
  private _stage?: number; 
  public get stage() {
    return this.getNumberAttribute('stage');
  }
  public set stage(value: number) {
    this._stage = value;
  }
  // Temporarily expose input value. Use with caution.
  public get stageInput() {
    return this._stage;
  }

  // user_id - computed: false, optional: true, required: false
  private _userId?: string; 
  public get userId() {
    return this.getStringAttribute('user_id');
  }
  public set userId(value: string) {
    this._userId = value;
  }
  public resetUserId() {
    this._userId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get userIdInput() {
    return this._userId;
  }
}

export class ReviewPlanApproversList extends cdktn.ComplexList {
  public internalValue? : ReviewPlanApprovers[] | cdktn.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(terraformResource: cdktn.IInterpolatingParent, terraformAttribute: string, wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet);
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): ReviewPlanApproversOutputReference {
    return new ReviewPlanApproversOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}

/**
* Represents a {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan accessflow_review_plan}
*/
export class ReviewPlan extends cdktn.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "accessflow_review_plan";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a ReviewPlan resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the ReviewPlan to import
  * @param importFromId The id of the existing ReviewPlan that should be imported. Refer to the {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the ReviewPlan to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "accessflow_review_plan", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/review_plan accessflow_review_plan} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options ReviewPlanConfig
  */
  public constructor(scope: Construct, id: string, config: ReviewPlanConfig) {
    super(scope, id, {
      terraformResourceType: 'accessflow_review_plan',
      terraformGeneratorMetadata: {
        providerName: 'accessflow'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._approvalTimeoutHours = config.approvalTimeoutHours;
    this._approvers.internalValue = config.approvers;
    this._autoApproveMaxRiskLevel = config.autoApproveMaxRiskLevel;
    this._autoApproveReads = config.autoApproveReads;
    this._description = config.description;
    this._minApprovalsRequired = config.minApprovalsRequired;
    this._name = config.name;
    this._notifyChannelIds = config.notifyChannelIds;
    this._requiresAiReview = config.requiresAiReview;
    this._requiresHumanApproval = config.requiresHumanApproval;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // approval_timeout_hours - computed: true, optional: true, required: false
  private _approvalTimeoutHours?: number; 
  public get approvalTimeoutHours() {
    return this.getNumberAttribute('approval_timeout_hours');
  }
  public set approvalTimeoutHours(value: number) {
    this._approvalTimeoutHours = value;
  }
  public resetApprovalTimeoutHours() {
    this._approvalTimeoutHours = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get approvalTimeoutHoursInput() {
    return this._approvalTimeoutHours;
  }

  // approvers - computed: false, optional: true, required: false
  private _approvers = new ReviewPlanApproversList(this, "approvers", false);
  public get approvers() {
    return this._approvers;
  }
  public putApprovers(value: ReviewPlanApprovers[] | cdktn.IResolvable) {
    this._approvers.internalValue = value;
  }
  public resetApprovers() {
    this._approvers.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get approversInput() {
    return this._approvers.internalValue;
  }

  // auto_approve_max_risk_level - computed: true, optional: true, required: false
  private _autoApproveMaxRiskLevel?: string; 
  public get autoApproveMaxRiskLevel() {
    return this.getStringAttribute('auto_approve_max_risk_level');
  }
  public set autoApproveMaxRiskLevel(value: string) {
    this._autoApproveMaxRiskLevel = value;
  }
  public resetAutoApproveMaxRiskLevel() {
    this._autoApproveMaxRiskLevel = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get autoApproveMaxRiskLevelInput() {
    return this._autoApproveMaxRiskLevel;
  }

  // auto_approve_reads - computed: true, optional: true, required: false
  private _autoApproveReads?: boolean | cdktn.IResolvable; 
  public get autoApproveReads() {
    return this.getBooleanAttribute('auto_approve_reads');
  }
  public set autoApproveReads(value: boolean | cdktn.IResolvable) {
    this._autoApproveReads = value;
  }
  public resetAutoApproveReads() {
    this._autoApproveReads = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get autoApproveReadsInput() {
    return this._autoApproveReads;
  }

  // description - computed: false, optional: true, required: false
  private _description?: string; 
  public get description() {
    return this.getStringAttribute('description');
  }
  public set description(value: string) {
    this._description = value;
  }
  public resetDescription() {
    this._description = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get descriptionInput() {
    return this._description;
  }

  // min_approvals_required - computed: true, optional: true, required: false
  private _minApprovalsRequired?: number; 
  public get minApprovalsRequired() {
    return this.getNumberAttribute('min_approvals_required');
  }
  public set minApprovalsRequired(value: number) {
    this._minApprovalsRequired = value;
  }
  public resetMinApprovalsRequired() {
    this._minApprovalsRequired = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get minApprovalsRequiredInput() {
    return this._minApprovalsRequired;
  }

  // name - computed: false, optional: false, required: true
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // notify_channel_ids - computed: false, optional: true, required: false
  private _notifyChannelIds?: string[]; 
  public get notifyChannelIds() {
    return this.getListAttribute('notify_channel_ids');
  }
  public set notifyChannelIds(value: string[]) {
    this._notifyChannelIds = value;
  }
  public resetNotifyChannelIds() {
    this._notifyChannelIds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get notifyChannelIdsInput() {
    return this._notifyChannelIds;
  }

  // requires_ai_review - computed: true, optional: true, required: false
  private _requiresAiReview?: boolean | cdktn.IResolvable; 
  public get requiresAiReview() {
    return this.getBooleanAttribute('requires_ai_review');
  }
  public set requiresAiReview(value: boolean | cdktn.IResolvable) {
    this._requiresAiReview = value;
  }
  public resetRequiresAiReview() {
    this._requiresAiReview = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get requiresAiReviewInput() {
    return this._requiresAiReview;
  }

  // requires_human_approval - computed: true, optional: true, required: false
  private _requiresHumanApproval?: boolean | cdktn.IResolvable; 
  public get requiresHumanApproval() {
    return this.getBooleanAttribute('requires_human_approval');
  }
  public set requiresHumanApproval(value: boolean | cdktn.IResolvable) {
    this._requiresHumanApproval = value;
  }
  public resetRequiresHumanApproval() {
    this._requiresHumanApproval = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get requiresHumanApprovalInput() {
    return this._requiresHumanApproval;
  }

  // created_at - computed: true, optional: false, required: false
  public get createdAt() {
    return this.getStringAttribute('created_at');
  }

  // updated_at - computed: true, optional: false, required: false
  public get updatedAt() {
    return this.getStringAttribute('updated_at');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      approval_timeout_hours: cdktn.numberToTerraform(this._approvalTimeoutHours),
      approvers: cdktn.listMapper(reviewPlanApproversToTerraform, false)(this._approvers.internalValue),
      auto_approve_max_risk_level: cdktn.stringToTerraform(this._autoApproveMaxRiskLevel),
      auto_approve_reads: cdktn.booleanToTerraform(this._autoApproveReads),
      description: cdktn.stringToTerraform(this._description),
      min_approvals_required: cdktn.numberToTerraform(this._minApprovalsRequired),
      name: cdktn.stringToTerraform(this._name),
      notify_channel_ids: cdktn.listMapper(cdktn.stringToTerraform, false)(this._notifyChannelIds),
      requires_ai_review: cdktn.booleanToTerraform(this._requiresAiReview),
      requires_human_approval: cdktn.booleanToTerraform(this._requiresHumanApproval),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      approval_timeout_hours: {
        value: cdktn.numberToHclTerraform(this._approvalTimeoutHours),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      approvers: {
        value: cdktn.listMapperHcl(reviewPlanApproversToHclTerraform, false)(this._approvers.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "ReviewPlanApproversList",
      },
      auto_approve_max_risk_level: {
        value: cdktn.stringToHclTerraform(this._autoApproveMaxRiskLevel),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      auto_approve_reads: {
        value: cdktn.booleanToHclTerraform(this._autoApproveReads),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      description: {
        value: cdktn.stringToHclTerraform(this._description),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      min_approvals_required: {
        value: cdktn.numberToHclTerraform(this._minApprovalsRequired),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      name: {
        value: cdktn.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      notify_channel_ids: {
        value: cdktn.listMapperHcl(cdktn.stringToHclTerraform, false)(this._notifyChannelIds),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      requires_ai_review: {
        value: cdktn.booleanToHclTerraform(this._requiresAiReview),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      requires_human_approval: {
        value: cdktn.booleanToHclTerraform(this._requiresHumanApproval),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}

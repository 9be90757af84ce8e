// https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/masking_policy
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface MaskingPolicyConfig extends cdktn.TerraformMetaArguments {
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/masking_policy#column_ref MaskingPolicy#column_ref}
  */
  readonly columnRef: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/masking_policy#datasource_id MaskingPolicy#datasource_id}
  */
  readonly datasourceId: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/masking_policy#enabled MaskingPolicy#enabled}
  */
  readonly enabled?: boolean | cdktn.IResolvable;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/masking_policy#reveal_to_group_ids MaskingPolicy#reveal_to_group_ids}
  */
  readonly revealToGroupIds?: string[];
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/masking_policy#reveal_to_roles MaskingPolicy#reveal_to_roles}
  */
  readonly revealToRoles?: string[];
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/masking_policy#reveal_to_user_ids MaskingPolicy#reveal_to_user_ids}
  */
  readonly revealToUserIds?: string[];
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/masking_policy#strategy MaskingPolicy#strategy}
  */
  readonly strategy: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/masking_policy#strategy_params MaskingPolicy#strategy_params}
  */
  readonly strategyParams?: { [key: string]: string };
}

/**
* Represents a {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/masking_policy accessflow_masking_policy}
*/
export class MaskingPolicy extends cdktn.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "accessflow_masking_policy";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a MaskingPolicy resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the MaskingPolicy to import
  * @param importFromId The id of the existing MaskingPolicy that should be imported. Refer to the {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/masking_policy#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the MaskingPolicy to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "accessflow_masking_policy", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/masking_policy accessflow_masking_policy} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options MaskingPolicyConfig
  */
  public constructor(scope: Construct, id: string, config: MaskingPolicyConfig) {
    super(scope, id, {
      terraformResourceType: 'accessflow_masking_policy',
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
    this._columnRef = config.columnRef;
    this._datasourceId = config.datasourceId;
    this._enabled = config.enabled;
    this._revealToGroupIds = config.revealToGroupIds;
    this._revealToRoles = config.revealToRoles;
    this._revealToUserIds = config.revealToUserIds;
    this._strategy = config.strategy;
    this._strategyParams = config.strategyParams;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // column_ref - computed: false, optional: false, required: true
  private _columnRef?: string; 
  public get columnRef() {
    return this.getStringAttribute('column_ref');
  }
  public set columnRef(value: string) {
    this._columnRef = value;
  }
  // Temporarily expose input value. Use with caution.
  public get columnRefInput() {
    return this._columnRef;
  }

  // datasource_id - computed: false, optional: false, required: true
  private _datasourceId?: string; 
  public get datasourceId() {
    return this.getStringAttribute('datasource_id');
  }
  public set datasourceId(value: string) {
    this._datasourceId = value;
  }
  // Temporarily expose input value. Use with caution.
  public get datasourceIdInput() {
    return this._datasourceId;
  }

  // enabled - computed: true, optional: true, required: false
  private _enabled?: boolean | cdktn.IResolvable; 
  public get enabled() {
    return this.getBooleanAttribute('enabled');
  }
  public set enabled(value: boolean | cdktn.IResolvable) {
    this._enabled = value;
  }
  public resetEnabled() {
    this._enabled = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get enabledInput() {
    return this._enabled;
  }

  // reveal_to_group_ids - computed: false, optional: true, required: false
  private _revealToGroupIds?: string[]; 
  public get revealToGroupIds() {
    return this.getListAttribute('reveal_to_group_ids');
  }
  public set revealToGroupIds(value: string[]) {
    this._revealToGroupIds = value;
  }
  public resetRevealToGroupIds() {
    this._revealToGroupIds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get revealToGroupIdsInput() {
    return this._revealToGroupIds;
  }

  // reveal_to_roles - computed: false, optional: true, required: false
  private _revealToRoles?: string[]; 
  public get revealToRoles() {
    return this.getListAttribute('reveal_to_roles');
  }
  public set revealToRoles(value: string[]) {
    this._revealToRoles = value;
  }
  public resetRevealToRoles() {
    this._revealToRoles = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get revealToRolesInput() {
    return this._revealToRoles;
  }

  // reveal_to_user_ids - computed: false, optional: true, required: false
  private _revealToUserIds?: string[]; 
  public get revealToUserIds() {
    return this.getListAttribute('reveal_to_user_ids');
  }
  public set revealToUserIds(value: string[]) {
    this._revealToUserIds = value;
  }
  public resetRevealToUserIds() {
    this._revealToUserIds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get revealToUserIdsInput() {
    return this._revealToUserIds;
  }

  // strategy - computed: false, optional: false, required: true
  private _strategy?: string; 
  public get strategy() {
    return this.getStringAttribute('strategy');
  }
  public set strategy(value: string) {
    this._strategy = value;
  }
  // Temporarily expose input value. Use with caution.
  public get strategyInput() {
    return this._strategy;
  }

  // strategy_params - computed: false, optional: true, required: false
  private _strategyParams?: { [key: string]: string }; 
  public get strategyParams() {
    return this.getStringMapAttribute('strategy_params');
  }
  public set strategyParams(value: { [key: string]: string }) {
    this._strategyParams = value;
  }
  public resetStrategyParams() {
    this._strategyParams = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get strategyParamsInput() {
    return this._strategyParams;
  }

  // created_at - computed: true, optional: false, required: false
  public get createdAt() {
    return this.getStringAttribute('created_at');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      column_ref: cdktn.stringToTerraform(this._columnRef),
      datasource_id: cdktn.stringToTerraform(this._datasourceId),
      enabled: cdktn.booleanToTerraform(this._enabled),
      reveal_to_group_ids: cdktn.listMapper(cdktn.stringToTerraform, false)(this._revealToGroupIds),
      reveal_to_roles: cdktn.listMapper(cdktn.stringToTerraform, false)(this._revealToRoles),
      reveal_to_user_ids: cdktn.listMapper(cdktn.stringToTerraform, false)(this._revealToUserIds),
      strategy: cdktn.stringToTerraform(this._strategy),
      strategy_params: cdktn.hashMapper(cdktn.stringToTerraform)(this._strategyParams),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      column_ref: {
        value: cdktn.stringToHclTerraform(this._columnRef),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      datasource_id: {
        value: cdktn.stringToHclTerraform(this._datasourceId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      enabled: {
        value: cdktn.booleanToHclTerraform(this._enabled),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      reveal_to_group_ids: {
        value: cdktn.listMapperHcl(cdktn.stringToHclTerraform, false)(this._revealToGroupIds),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      reveal_to_roles: {
        value: cdktn.listMapperHcl(cdktn.stringToHclTerraform, false)(this._revealToRoles),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      reveal_to_user_ids: {
        value: cdktn.listMapperHcl(cdktn.stringToHclTerraform, false)(this._revealToUserIds),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      strategy: {
        value: cdktn.stringToHclTerraform(this._strategy),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      strategy_params: {
        value: cdktn.hashMapperHcl(cdktn.stringToHclTerraform)(this._strategyParams),
        isBlock: false,
        type: "map",
        storageClassType: "stringMap",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}

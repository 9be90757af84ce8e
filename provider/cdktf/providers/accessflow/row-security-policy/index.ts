// https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/row_security_policy
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface RowSecurityPolicyConfig extends cdktn.TerraformMetaArguments {
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/row_security_policy#applies_to_group_ids RowSecurityPolicy#applies_to_group_ids}
  */
  readonly appliesToGroupIds?: string[];
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/row_security_policy#applies_to_roles RowSecurityPolicy#applies_to_roles}
  */
  readonly appliesToRoles?: string[];
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/row_security_policy#applies_to_user_ids RowSecurityPolicy#applies_to_user_ids}
  */
  readonly appliesToUserIds?: string[];
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/row_security_policy#column_name RowSecurityPolicy#column_name}
  */
  readonly columnName: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/row_security_policy#datasource_id RowSecurityPolicy#datasource_id}
  */
  readonly datasourceId: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/row_security_policy#enabled RowSecurityPolicy#enabled}
  */
  readonly enabled?: boolean | cdktn.IResolvable;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/row_security_policy#operator RowSecurityPolicy#operator}
  */
  readonly operator: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/row_security_policy#table_name RowSecurityPolicy#table_name}
  */
  readonly tableName: string;
  /**
  * A literal (comma-separated for IN), or user.id / user.email / user.role / user.groups / user.<attribute>.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/row_security_policy#value_expression RowSecurityPolicy#value_expression}
  */
  readonly valueExpression: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/row_security_policy#value_type RowSecurityPolicy#value_type}
  */
  readonly valueType: string;
}

/**
* Represents a {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/row_security_policy accessflow_row_security_policy}
*/
export class RowSecurityPolicy extends cdktn.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "accessflow_row_security_policy";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a RowSecurityPolicy resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the RowSecurityPolicy to import
  * @param importFromId The id of the existing RowSecurityPolicy that should be imported. Refer to the {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/row_security_policy#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the RowSecurityPolicy to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "accessflow_row_security_policy", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/row_security_policy accessflow_row_security_policy} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options RowSecurityPolicyConfig
  */
  public constructor(scope: Construct, id: string, config: RowSecurityPolicyConfig) {
    super(scope, id, {
      terraformResourceType: 'accessflow_row_security_policy',
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
    this._appliesToGroupIds = config.appliesToGroupIds;
    this._appliesToRoles = config.appliesToRoles;
    this._appliesToUserIds = config.appliesToUserIds;
    this._columnName = config.columnName;
    this._datasourceId = config.datasourceId;
    this._enabled = config.enabled;
    this._operator = config.operator;
    this._tableName = config.tableName;
    this._valueExpression = config.valueExpression;
    this._valueType = config.valueType;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // applies_to_group_ids - computed: false, optional: true, required: false
  private _appliesToGroupIds?: string[]; 
  public get appliesToGroupIds() {
    return this.getListAttribute('applies_to_group_ids');
  }
  public set appliesToGroupIds(value: string[]) {
    this._appliesToGroupIds = value;
  }
  public resetAppliesToGroupIds() {
    this._appliesToGroupIds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get appliesToGroupIdsInput() {
    return this._appliesToGroupIds;
  }

  // applies_to_roles - computed: false, optional: true, required: false
  private _appliesToRoles?: string[]; 
  public get appliesToRoles() {
    return this.getListAttribute('applies_to_roles');
  }
  public set appliesToRoles(value: string[]) {
    this._appliesToRoles = value;
  }
  public resetAppliesToRoles() {
    this._appliesToRoles = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get appliesToRolesInput() {
    return this._appliesToRoles;
  }

  // applies_to_user_ids - computed: false, optional: true, required: false
  private _appliesToUserIds?: string[]; 
  public get appliesToUserIds() {
    return this.getListAttribute('applies_to_user_ids');
  }
  public set appliesToUserIds(value: string[]) {
    this._appliesToUserIds = value;
  }
  public resetAppliesToUserIds() {
    this._appliesToUserIds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get appliesToUserIdsInput() {
    return this._appliesToUserIds;
  }

  // column_name - computed: false, optional: false, required: true
  private _columnName?: string; 
  public get columnName() {
    return this.getStringAttribute('column_name');
  }
  public set columnName(value: string) {
    this._columnName = value;
  }
  // Temporarily expose input value. Use with caution.
  public get columnNameInput() {
    return this._columnName;
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

  // operator - computed: false, optional: false, required: true
  private _operator?: string; 
  public get operator() {
    return this.getStringAttribute('operator');
  }
  public set operator(value: string) {
    this._operator = value;
  }
  // Temporarily expose input value. Use with caution.
  public get operatorInput() {
    return this._operator;
  }

  // table_name - computed: false, optional: false, required: true
  private _tableName?: string; 
  public get tableName() {
    return this.getStringAttribute('table_name');
  }
  public set tableName(value: string) {
    this._tableName = value;
  }
  // Temporarily expose input value. Use with caution.
  public get tableNameInput() {
    return this._tableName;
  }

  // value_expression - computed: false, optional: false, required: true
  private _valueExpression?: string; 
  public get valueExpression() {
    return this.getStringAttribute('value_expression');
  }
  public set valueExpression(value: string) {
    this._valueExpression = value;
  }
  // Temporarily expose input value. Use with caution.
  public get valueExpressionInput() {
    return this._valueExpression;
  }

  // value_type - computed: false, optional: false, required: true
  private _valueType?: string; 
  public get valueType() {
    return this.getStringAttribute('value_type');
  }
  public set valueType(value: string) {
    this._valueType = value;
  }
  // Temporarily expose input value. Use with caution.
  public get valueTypeInput() {
    return this._valueType;
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
      applies_to_group_ids: cdktn.listMapper(cdktn.stringToTerraform, false)(this._appliesToGroupIds),
      applies_to_roles: cdktn.listMapper(cdktn.stringToTerraform, false)(this._appliesToRoles),
      applies_to_user_ids: cdktn.listMapper(cdktn.stringToTerraform, false)(this._appliesToUserIds),
      column_name: cdktn.stringToTerraform(this._columnName),
      datasource_id: cdktn.stringToTerraform(this._datasourceId),
      enabled: cdktn.booleanToTerraform(this._enabled),
      operator: cdktn.stringToTerraform(this._operator),
      table_name: cdktn.stringToTerraform(this._tableName),
      value_expression: cdktn.stringToTerraform(this._valueExpression),
      value_type: cdktn.stringToTerraform(this._valueType),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      applies_to_group_ids: {
        value: cdktn.listMapperHcl(cdktn.stringToHclTerraform, false)(this._appliesToGroupIds),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      applies_to_roles: {
        value: cdktn.listMapperHcl(cdktn.stringToHclTerraform, false)(this._appliesToRoles),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      applies_to_user_ids: {
        value: cdktn.listMapperHcl(cdktn.stringToHclTerraform, false)(this._appliesToUserIds),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      column_name: {
        value: cdktn.stringToHclTerraform(this._columnName),
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
      operator: {
        value: cdktn.stringToHclTerraform(this._operator),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      table_name: {
        value: cdktn.stringToHclTerraform(this._tableName),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      value_expression: {
        value: cdktn.stringToHclTerraform(this._valueExpression),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      value_type: {
        value: cdktn.stringToHclTerraform(this._valueType),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}

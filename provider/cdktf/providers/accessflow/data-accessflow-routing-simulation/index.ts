// https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/routing_simulation
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface DataAccessflowRoutingSimulationConfig extends cdktn.TerraformMetaArguments {
  /**
  * The datasource the statement would run on.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/routing_simulation#datasource_id DataAccessflowRoutingSimulation#datasource_id}
  */
  readonly datasourceId: string;
  /**
  * The SQL statement to simulate; nothing is submitted or run.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/routing_simulation#query DataAccessflowRoutingSimulation#query}
  */
  readonly query: string;
  /**
  * Simulate a submission by this user (needs POLICIES_MANAGE); the provider’s own identity by default.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/routing_simulation#as_user_id DataAccessflowRoutingSimulation#as_user_id}
  */
  readonly asUserId?: string;
  /**
  * Simulate a submission from CI.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/routing_simulation#cicd_origin DataAccessflowRoutingSimulation#cicd_origin}
  */
  readonly cicdOrigin?: boolean | cdktn.IResolvable;
}

/**
* Represents a {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/routing_simulation accessflow_routing_simulation}
*/
export class DataAccessflowRoutingSimulation extends cdktn.TerraformDataSource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "accessflow_routing_simulation";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a DataAccessflowRoutingSimulation resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DataAccessflowRoutingSimulation to import
  * @param importFromId The id of the existing DataAccessflowRoutingSimulation that should be imported. Refer to the {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/routing_simulation#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DataAccessflowRoutingSimulation to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "accessflow_routing_simulation", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/routing_simulation accessflow_routing_simulation} Data Source
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DataAccessflowRoutingSimulationConfig
  */
  public constructor(scope: Construct, id: string, config: DataAccessflowRoutingSimulationConfig) {
    super(scope, id, {
      terraformResourceType: 'accessflow_routing_simulation',
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
    this._datasourceId = config.datasourceId;
    this._query = config.query;
    this._asUserId = config.asUserId;
    this._cicdOrigin = config.cicdOrigin;
  }

  // ==========
  // ATTRIBUTES
  // ==========

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

  // query - computed: false, optional: false, required: true
  private _query?: string; 
  public get query() {
    return this.getStringAttribute('query');
  }
  public set query(value: string) {
    this._query = value;
  }
  // Temporarily expose input value. Use with caution.
  public get queryInput() {
    return this._query;
  }

  // as_user_id - computed: false, optional: true, required: false
  private _asUserId?: string; 
  public get asUserId() {
    return this.getStringAttribute('as_user_id');
  }
  public set asUserId(value: string) {
    this._asUserId = value;
  }
  public resetAsUserId() {
    this._asUserId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get asUserIdInput() {
    return this._asUserId;
  }

  // cicd_origin - computed: false, optional: true, required: false
  private _cicdOrigin?: boolean | cdktn.IResolvable; 
  public get cicdOrigin() {
    return this.getBooleanAttribute('cicd_origin');
  }
  public set cicdOrigin(value: boolean | cdktn.IResolvable) {
    this._cicdOrigin = value;
  }
  public resetCicdOrigin() {
    this._cicdOrigin = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get cicdOriginInput() {
    return this._cicdOrigin;
  }

  // query_type - computed: true, optional: false, required: false
  public get queryType() {
    return this.getStringAttribute('query_type');
  }

  // read_only - computed: true, optional: false, required: false
  public get readOnly() {
    return this.getBooleanAttribute('read_only');
  }

  // tables - computed: true, optional: false, required: false
  public get tables() {
    return this.getListAttribute('tables');
  }

  // risk_level - computed: true, optional: false, required: false
  public get riskLevel() {
    return this.getStringAttribute('risk_level');
  }

  // risk_score - computed: true, optional: false, required: false
  public get riskScore() {
    return this.getNumberAttribute('risk_score');
  }

  // refusal - computed: true, optional: false, required: false
  public get refusal() {
    return this.getStringAttribute('refusal');
  }

  // policy_name - computed: true, optional: false, required: false
  public get policyName() {
    return this.getStringAttribute('policy_name');
  }

  // action - computed: true, optional: false, required: false
  public get action() {
    return this.getStringAttribute('action');
  }

  // verdict - computed: true, optional: false, required: false
  public get verdict() {
    return this.getStringAttribute('verdict');
  }

  // required_approvals - computed: true, optional: false, required: false
  public get requiredApprovals() {
    return this.getNumberAttribute('required_approvals');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      datasource_id: cdktn.stringToTerraform(this._datasourceId),
      query: cdktn.stringToTerraform(this._query),
      as_user_id: cdktn.stringToTerraform(this._asUserId),
      cicd_origin: cdktn.booleanToTerraform(this._cicdOrigin),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      datasource_id: {
        value: cdktn.stringToHclTerraform(this._datasourceId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      query: {
        value: cdktn.stringToHclTerraform(this._query),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      as_user_id: {
        value: cdktn.stringToHclTerraform(this._asUserId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      cicd_origin: {
        value: cdktn.booleanToHclTerraform(this._cicdOrigin),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}

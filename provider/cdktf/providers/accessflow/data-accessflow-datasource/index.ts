// https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/datasource
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface DataAccessflowDatasourceConfig extends cdktn.TerraformMetaArguments {
  /**
  * The object id.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/datasource#id DataAccessflowDatasource#id}
  *
  * Please be aware that the id field is automatically added to all resources in Terraform providers using a Terraform provider SDK version below 2.
  * If you experience problems setting this value it might not be settable. Please take a look at the provider documentation to ensure it should be settable.
  */
  readonly id?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/datasource#name DataAccessflowDatasource#name}
  */
  readonly name?: string;
}

/**
* Represents a {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/datasource accessflow_datasource}
*/
export class DataAccessflowDatasource extends cdktn.TerraformDataSource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "accessflow_datasource";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a DataAccessflowDatasource resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DataAccessflowDatasource to import
  * @param importFromId The id of the existing DataAccessflowDatasource that should be imported. Refer to the {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/datasource#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DataAccessflowDatasource to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "accessflow_datasource", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/datasource accessflow_datasource} Data Source
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DataAccessflowDatasourceConfig = {}
  */
  public constructor(scope: Construct, id: string, config: DataAccessflowDatasourceConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'accessflow_datasource',
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
    this._id = config.id;
    this._name = config.name;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: true, required: false
  private _id?: string; 
  public get id() {
    return this.getStringAttribute('id');
  }
  public set id(value: string) {
    this._id = value;
  }
  public resetId() {
    this._id = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get idInput() {
    return this._id;
  }

  // active - computed: true, optional: false, required: false
  public get active() {
    return this.getBooleanAttribute('active');
  }

  // ai_analysis_enabled - computed: true, optional: false, required: false
  public get aiAnalysisEnabled() {
    return this.getBooleanAttribute('ai_analysis_enabled');
  }

  // ai_config_id - computed: true, optional: false, required: false
  public get aiConfigId() {
    return this.getStringAttribute('ai_config_id');
  }

  // connection_pool_size - computed: true, optional: false, required: false
  public get connectionPoolSize() {
    return this.getNumberAttribute('connection_pool_size');
  }

  // database_name - computed: true, optional: false, required: false
  public get databaseName() {
    return this.getStringAttribute('database_name');
  }

  // db_type - computed: true, optional: false, required: false
  public get dbType() {
    return this.getStringAttribute('db_type');
  }

  // host - computed: true, optional: false, required: false
  public get host() {
    return this.getStringAttribute('host');
  }

  // max_rows_per_query - computed: true, optional: false, required: false
  public get maxRowsPerQuery() {
    return this.getNumberAttribute('max_rows_per_query');
  }

  // name - computed: true, optional: true, required: false
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  public resetName() {
    this._name = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // port - computed: true, optional: false, required: false
  public get port() {
    return this.getNumberAttribute('port');
  }

  // replica_host - computed: true, optional: false, required: false
  public get replicaHost() {
    return this.getStringAttribute('replica_host');
  }

  // replica_port - computed: true, optional: false, required: false
  public get replicaPort() {
    return this.getNumberAttribute('replica_port');
  }

  // require_review_reads - computed: true, optional: false, required: false
  public get requireReviewReads() {
    return this.getBooleanAttribute('require_review_reads');
  }

  // require_review_writes - computed: true, optional: false, required: false
  public get requireReviewWrites() {
    return this.getBooleanAttribute('require_review_writes');
  }

  // review_plan_id - computed: true, optional: false, required: false
  public get reviewPlanId() {
    return this.getStringAttribute('review_plan_id');
  }

  // ssl_mode - computed: true, optional: false, required: false
  public get sslMode() {
    return this.getStringAttribute('ssl_mode');
  }

  // ssl_root_certificate - computed: true, optional: false, required: false
  public get sslRootCertificate() {
    return this.getStringAttribute('ssl_root_certificate');
  }

  // statement_timeout_seconds - computed: true, optional: false, required: false
  public get statementTimeoutSeconds() {
    return this.getNumberAttribute('statement_timeout_seconds');
  }

  // text_to_sql_enabled - computed: true, optional: false, required: false
  public get textToSqlEnabled() {
    return this.getBooleanAttribute('text_to_sql_enabled');
  }

  // username - computed: true, optional: false, required: false
  public get username() {
    return this.getStringAttribute('username');
  }

  // created_at - computed: true, optional: false, required: false
  public get createdAt() {
    return this.getStringAttribute('created_at');
  }

  // has_password - computed: true, optional: false, required: false
  public get hasPassword() {
    return this.getBooleanAttribute('has_password');
  }

  // password_version - computed: true, optional: false, required: false
  public get passwordVersion() {
    return this.getNumberAttribute('password_version');
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
      id: cdktn.stringToTerraform(this._id),
      name: cdktn.stringToTerraform(this._name),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      id: {
        value: cdktn.stringToHclTerraform(this._id),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      name: {
        value: cdktn.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}

// https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface DatasourceConfig extends cdktn.TerraformMetaArguments {
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#active Datasource#active}
  */
  readonly active?: boolean | cdktn.IResolvable;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#ai_analysis_enabled Datasource#ai_analysis_enabled}
  */
  readonly aiAnalysisEnabled?: boolean | cdktn.IResolvable;
  /**
  * An AI configuration of this organization; omit for the built-in rules only.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#ai_config_id Datasource#ai_config_id}
  */
  readonly aiConfigId?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#connection_pool_size Datasource#connection_pool_size}
  */
  readonly connectionPoolSize?: number;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#database_name Datasource#database_name}
  */
  readonly databaseName: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#db_type Datasource#db_type}
  */
  readonly dbType: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#host Datasource#host}
  */
  readonly host: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#max_rows_per_query Datasource#max_rows_per_query}
  */
  readonly maxRowsPerQuery?: number;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#name Datasource#name}
  */
  readonly name: string;
  /**
  * Write-only. Never stored in state; change `password_wo_version` to send a new value.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#password Datasource#password}
  */
  readonly password?: string;
  /**
  * Any number; changing it sends `password` again. Not stored by the server (null after import).
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#password_wo_version Datasource#password_wo_version}
  */
  readonly passwordWoVersion?: number;
  /**
  * Default: the engine default (5432, 3306).
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#port Datasource#port}
  */
  readonly port?: number;
  /**
  * A read replica of the same database (same user and password); omit for none.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#replica_host Datasource#replica_host}
  */
  readonly replicaHost?: string;
  /**
  * Default: the engine default.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#replica_port Datasource#replica_port}
  */
  readonly replicaPort?: number;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#require_review_reads Datasource#require_review_reads}
  */
  readonly requireReviewReads?: boolean | cdktn.IResolvable;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#require_review_writes Datasource#require_review_writes}
  */
  readonly requireReviewWrites?: boolean | cdktn.IResolvable;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#review_plan_id Datasource#review_plan_id}
  */
  readonly reviewPlanId?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#ssl_mode Datasource#ssl_mode}
  */
  readonly sslMode?: string;
  /**
  * PEM certificate(s) of the authorities VERIFY_CA and VERIFY_FULL trust instead of the system's (a private CA); omit to trust the system's.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#ssl_root_certificate Datasource#ssl_root_certificate}
  */
  readonly sslRootCertificate?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#statement_timeout_seconds Datasource#statement_timeout_seconds}
  */
  readonly statementTimeoutSeconds?: number;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#text_to_sql_enabled Datasource#text_to_sql_enabled}
  */
  readonly textToSqlEnabled?: boolean | cdktn.IResolvable;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#username Datasource#username}
  */
  readonly username: string;
  /**
  * Test the connection before saving (default true).
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#verify_connection Datasource#verify_connection}
  */
  readonly verifyConnection?: boolean | cdktn.IResolvable;
}

/**
* Represents a {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource accessflow_datasource}
*/
export class Datasource extends cdktn.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "accessflow_datasource";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a Datasource resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Datasource to import
  * @param importFromId The id of the existing Datasource that should be imported. Refer to the {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Datasource to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "accessflow_datasource", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/datasource accessflow_datasource} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DatasourceConfig
  */
  public constructor(scope: Construct, id: string, config: DatasourceConfig) {
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
    this._active = config.active;
    this._aiAnalysisEnabled = config.aiAnalysisEnabled;
    this._aiConfigId = config.aiConfigId;
    this._connectionPoolSize = config.connectionPoolSize;
    this._databaseName = config.databaseName;
    this._dbType = config.dbType;
    this._host = config.host;
    this._maxRowsPerQuery = config.maxRowsPerQuery;
    this._name = config.name;
    this._password = config.password;
    this._passwordWoVersion = config.passwordWoVersion;
    this._port = config.port;
    this._replicaHost = config.replicaHost;
    this._replicaPort = config.replicaPort;
    this._requireReviewReads = config.requireReviewReads;
    this._requireReviewWrites = config.requireReviewWrites;
    this._reviewPlanId = config.reviewPlanId;
    this._sslMode = config.sslMode;
    this._sslRootCertificate = config.sslRootCertificate;
    this._statementTimeoutSeconds = config.statementTimeoutSeconds;
    this._textToSqlEnabled = config.textToSqlEnabled;
    this._username = config.username;
    this._verifyConnection = config.verifyConnection;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // active - computed: true, optional: true, required: false
  private _active?: boolean | cdktn.IResolvable; 
  public get active() {
    return this.getBooleanAttribute('active');
  }
  public set active(value: boolean | cdktn.IResolvable) {
    this._active = value;
  }
  public resetActive() {
    this._active = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get activeInput() {
    return this._active;
  }

  // ai_analysis_enabled - computed: true, optional: true, required: false
  private _aiAnalysisEnabled?: boolean | cdktn.IResolvable; 
  public get aiAnalysisEnabled() {
    return this.getBooleanAttribute('ai_analysis_enabled');
  }
  public set aiAnalysisEnabled(value: boolean | cdktn.IResolvable) {
    this._aiAnalysisEnabled = value;
  }
  public resetAiAnalysisEnabled() {
    this._aiAnalysisEnabled = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get aiAnalysisEnabledInput() {
    return this._aiAnalysisEnabled;
  }

  // ai_config_id - computed: false, optional: true, required: false
  private _aiConfigId?: string; 
  public get aiConfigId() {
    return this.getStringAttribute('ai_config_id');
  }
  public set aiConfigId(value: string) {
    this._aiConfigId = value;
  }
  public resetAiConfigId() {
    this._aiConfigId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get aiConfigIdInput() {
    return this._aiConfigId;
  }

  // connection_pool_size - computed: true, optional: true, required: false
  private _connectionPoolSize?: number; 
  public get connectionPoolSize() {
    return this.getNumberAttribute('connection_pool_size');
  }
  public set connectionPoolSize(value: number) {
    this._connectionPoolSize = value;
  }
  public resetConnectionPoolSize() {
    this._connectionPoolSize = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get connectionPoolSizeInput() {
    return this._connectionPoolSize;
  }

  // database_name - computed: false, optional: false, required: true
  private _databaseName?: string; 
  public get databaseName() {
    return this.getStringAttribute('database_name');
  }
  public set databaseName(value: string) {
    this._databaseName = value;
  }
  // Temporarily expose input value. Use with caution.
  public get databaseNameInput() {
    return this._databaseName;
  }

  // db_type - computed: false, optional: false, required: true
  private _dbType?: string; 
  public get dbType() {
    return this.getStringAttribute('db_type');
  }
  public set dbType(value: string) {
    this._dbType = value;
  }
  // Temporarily expose input value. Use with caution.
  public get dbTypeInput() {
    return this._dbType;
  }

  // host - computed: false, optional: false, required: true
  private _host?: string; 
  public get host() {
    return this.getStringAttribute('host');
  }
  public set host(value: string) {
    this._host = value;
  }
  // Temporarily expose input value. Use with caution.
  public get hostInput() {
    return this._host;
  }

  // max_rows_per_query - computed: true, optional: true, required: false
  private _maxRowsPerQuery?: number; 
  public get maxRowsPerQuery() {
    return this.getNumberAttribute('max_rows_per_query');
  }
  public set maxRowsPerQuery(value: number) {
    this._maxRowsPerQuery = value;
  }
  public resetMaxRowsPerQuery() {
    this._maxRowsPerQuery = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get maxRowsPerQueryInput() {
    return this._maxRowsPerQuery;
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

  // password - computed: false, optional: true, required: false
  private _password?: string; 
  /**
  * @deprecated Write-only: the provider never returns this value; reading it always yields null by protocol contract. The getter remains for compatibility and will be removed in a future prebuilt-provider major.
  */
  public get password() {
    return this.getStringAttribute('password');
  }
  public set password(value: string) {
    this._password = value;
  }
  public resetPassword() {
    this._password = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get passwordInput() {
    return this._password;
  }

  // password_wo_version - computed: false, optional: true, required: false
  private _passwordWoVersion?: number; 
  public get passwordWoVersion() {
    return this.getNumberAttribute('password_wo_version');
  }
  public set passwordWoVersion(value: number) {
    this._passwordWoVersion = value;
  }
  public resetPasswordWoVersion() {
    this._passwordWoVersion = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get passwordWoVersionInput() {
    return this._passwordWoVersion;
  }

  // port - computed: true, optional: true, required: false
  private _port?: number; 
  public get port() {
    return this.getNumberAttribute('port');
  }
  public set port(value: number) {
    this._port = value;
  }
  public resetPort() {
    this._port = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get portInput() {
    return this._port;
  }

  // replica_host - computed: false, optional: true, required: false
  private _replicaHost?: string; 
  public get replicaHost() {
    return this.getStringAttribute('replica_host');
  }
  public set replicaHost(value: string) {
    this._replicaHost = value;
  }
  public resetReplicaHost() {
    this._replicaHost = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get replicaHostInput() {
    return this._replicaHost;
  }

  // replica_port - computed: false, optional: true, required: false
  private _replicaPort?: number; 
  public get replicaPort() {
    return this.getNumberAttribute('replica_port');
  }
  public set replicaPort(value: number) {
    this._replicaPort = value;
  }
  public resetReplicaPort() {
    this._replicaPort = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get replicaPortInput() {
    return this._replicaPort;
  }

  // require_review_reads - computed: true, optional: true, required: false
  private _requireReviewReads?: boolean | cdktn.IResolvable; 
  public get requireReviewReads() {
    return this.getBooleanAttribute('require_review_reads');
  }
  public set requireReviewReads(value: boolean | cdktn.IResolvable) {
    this._requireReviewReads = value;
  }
  public resetRequireReviewReads() {
    this._requireReviewReads = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get requireReviewReadsInput() {
    return this._requireReviewReads;
  }

  // require_review_writes - computed: true, optional: true, required: false
  private _requireReviewWrites?: boolean | cdktn.IResolvable; 
  public get requireReviewWrites() {
    return this.getBooleanAttribute('require_review_writes');
  }
  public set requireReviewWrites(value: boolean | cdktn.IResolvable) {
    this._requireReviewWrites = value;
  }
  public resetRequireReviewWrites() {
    this._requireReviewWrites = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get requireReviewWritesInput() {
    return this._requireReviewWrites;
  }

  // review_plan_id - computed: false, optional: true, required: false
  private _reviewPlanId?: string; 
  public get reviewPlanId() {
    return this.getStringAttribute('review_plan_id');
  }
  public set reviewPlanId(value: string) {
    this._reviewPlanId = value;
  }
  public resetReviewPlanId() {
    this._reviewPlanId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get reviewPlanIdInput() {
    return this._reviewPlanId;
  }

  // ssl_mode - computed: true, optional: true, required: false
  private _sslMode?: string; 
  public get sslMode() {
    return this.getStringAttribute('ssl_mode');
  }
  public set sslMode(value: string) {
    this._sslMode = value;
  }
  public resetSslMode() {
    this._sslMode = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get sslModeInput() {
    return this._sslMode;
  }

  // ssl_root_certificate - computed: false, optional: true, required: false
  private _sslRootCertificate?: string; 
  public get sslRootCertificate() {
    return this.getStringAttribute('ssl_root_certificate');
  }
  public set sslRootCertificate(value: string) {
    this._sslRootCertificate = value;
  }
  public resetSslRootCertificate() {
    this._sslRootCertificate = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get sslRootCertificateInput() {
    return this._sslRootCertificate;
  }

  // statement_timeout_seconds - computed: true, optional: true, required: false
  private _statementTimeoutSeconds?: number; 
  public get statementTimeoutSeconds() {
    return this.getNumberAttribute('statement_timeout_seconds');
  }
  public set statementTimeoutSeconds(value: number) {
    this._statementTimeoutSeconds = value;
  }
  public resetStatementTimeoutSeconds() {
    this._statementTimeoutSeconds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get statementTimeoutSecondsInput() {
    return this._statementTimeoutSeconds;
  }

  // text_to_sql_enabled - computed: true, optional: true, required: false
  private _textToSqlEnabled?: boolean | cdktn.IResolvable; 
  public get textToSqlEnabled() {
    return this.getBooleanAttribute('text_to_sql_enabled');
  }
  public set textToSqlEnabled(value: boolean | cdktn.IResolvable) {
    this._textToSqlEnabled = value;
  }
  public resetTextToSqlEnabled() {
    this._textToSqlEnabled = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get textToSqlEnabledInput() {
    return this._textToSqlEnabled;
  }

  // username - computed: false, optional: false, required: true
  private _username?: string; 
  public get username() {
    return this.getStringAttribute('username');
  }
  public set username(value: string) {
    this._username = value;
  }
  // Temporarily expose input value. Use with caution.
  public get usernameInput() {
    return this._username;
  }

  // verify_connection - computed: false, optional: true, required: false
  private _verifyConnection?: boolean | cdktn.IResolvable; 
  public get verifyConnection() {
    return this.getBooleanAttribute('verify_connection');
  }
  public set verifyConnection(value: boolean | cdktn.IResolvable) {
    this._verifyConnection = value;
  }
  public resetVerifyConnection() {
    this._verifyConnection = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get verifyConnectionInput() {
    return this._verifyConnection;
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
      active: cdktn.booleanToTerraform(this._active),
      ai_analysis_enabled: cdktn.booleanToTerraform(this._aiAnalysisEnabled),
      ai_config_id: cdktn.stringToTerraform(this._aiConfigId),
      connection_pool_size: cdktn.numberToTerraform(this._connectionPoolSize),
      database_name: cdktn.stringToTerraform(this._databaseName),
      db_type: cdktn.stringToTerraform(this._dbType),
      host: cdktn.stringToTerraform(this._host),
      max_rows_per_query: cdktn.numberToTerraform(this._maxRowsPerQuery),
      name: cdktn.stringToTerraform(this._name),
      password: this.markWriteOnlyAttribute(cdktn.stringToTerraform(this._password)),
      password_wo_version: cdktn.numberToTerraform(this._passwordWoVersion),
      port: cdktn.numberToTerraform(this._port),
      replica_host: cdktn.stringToTerraform(this._replicaHost),
      replica_port: cdktn.numberToTerraform(this._replicaPort),
      require_review_reads: cdktn.booleanToTerraform(this._requireReviewReads),
      require_review_writes: cdktn.booleanToTerraform(this._requireReviewWrites),
      review_plan_id: cdktn.stringToTerraform(this._reviewPlanId),
      ssl_mode: cdktn.stringToTerraform(this._sslMode),
      ssl_root_certificate: cdktn.stringToTerraform(this._sslRootCertificate),
      statement_timeout_seconds: cdktn.numberToTerraform(this._statementTimeoutSeconds),
      text_to_sql_enabled: cdktn.booleanToTerraform(this._textToSqlEnabled),
      username: cdktn.stringToTerraform(this._username),
      verify_connection: cdktn.booleanToTerraform(this._verifyConnection),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      active: {
        value: cdktn.booleanToHclTerraform(this._active),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      ai_analysis_enabled: {
        value: cdktn.booleanToHclTerraform(this._aiAnalysisEnabled),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      ai_config_id: {
        value: cdktn.stringToHclTerraform(this._aiConfigId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      connection_pool_size: {
        value: cdktn.numberToHclTerraform(this._connectionPoolSize),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      database_name: {
        value: cdktn.stringToHclTerraform(this._databaseName),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      db_type: {
        value: cdktn.stringToHclTerraform(this._dbType),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      host: {
        value: cdktn.stringToHclTerraform(this._host),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      max_rows_per_query: {
        value: cdktn.numberToHclTerraform(this._maxRowsPerQuery),
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
      password: {
        value: this.markWriteOnlyAttribute(cdktn.stringToHclTerraform(this._password)),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      password_wo_version: {
        value: cdktn.numberToHclTerraform(this._passwordWoVersion),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      port: {
        value: cdktn.numberToHclTerraform(this._port),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      replica_host: {
        value: cdktn.stringToHclTerraform(this._replicaHost),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      replica_port: {
        value: cdktn.numberToHclTerraform(this._replicaPort),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      require_review_reads: {
        value: cdktn.booleanToHclTerraform(this._requireReviewReads),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      require_review_writes: {
        value: cdktn.booleanToHclTerraform(this._requireReviewWrites),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      review_plan_id: {
        value: cdktn.stringToHclTerraform(this._reviewPlanId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      ssl_mode: {
        value: cdktn.stringToHclTerraform(this._sslMode),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      ssl_root_certificate: {
        value: cdktn.stringToHclTerraform(this._sslRootCertificate),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      statement_timeout_seconds: {
        value: cdktn.numberToHclTerraform(this._statementTimeoutSeconds),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      text_to_sql_enabled: {
        value: cdktn.booleanToHclTerraform(this._textToSqlEnabled),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      username: {
        value: cdktn.stringToHclTerraform(this._username),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      verify_connection: {
        value: cdktn.booleanToHclTerraform(this._verifyConnection),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}

// https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/grant
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface GrantConfig extends cdktn.TerraformMetaArguments {
  /**
  * null = every schema. Compared exactly: on PostgreSQL an unquoted name folds to lower case and a double-quoted one keeps its case (`"Sales"` is not `sales`); on MySQL/MariaDB names are as written.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/grant#allowed_schemas Grant#allowed_schemas}
  */
  readonly allowedSchemas?: string[];
  /**
  * null = every table. `schema.table`, or a bare `table` in the default schema; named as for allowedSchemas.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/grant#allowed_tables Grant#allowed_tables}
  */
  readonly allowedTables?: string[];
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/grant#can_break_glass Grant#can_break_glass}
  */
  readonly canBreakGlass?: boolean | cdktn.IResolvable;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/grant#can_ddl Grant#can_ddl}
  */
  readonly canDdl?: boolean | cdktn.IResolvable;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/grant#can_read Grant#can_read}
  */
  readonly canRead?: boolean | cdktn.IResolvable;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/grant#can_write Grant#can_write}
  */
  readonly canWrite?: boolean | cdktn.IResolvable;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/grant#datasource_id Grant#datasource_id}
  */
  readonly datasourceId: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/grant#expires_at Grant#expires_at}
  */
  readonly expiresAt?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/grant#group_id Grant#group_id}
  */
  readonly groupId?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/grant#max_rows Grant#max_rows}
  */
  readonly maxRows?: number;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/grant#restricted_columns Grant#restricted_columns}
  */
  readonly restrictedColumns?: string[];
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/grant#user_id Grant#user_id}
  */
  readonly userId?: string;
}

/**
* Represents a {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/grant accessflow_grant}
*/
export class Grant extends cdktn.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "accessflow_grant";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a Grant resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Grant to import
  * @param importFromId The id of the existing Grant that should be imported. Refer to the {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/grant#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Grant to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "accessflow_grant", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/grant accessflow_grant} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options GrantConfig
  */
  public constructor(scope: Construct, id: string, config: GrantConfig) {
    super(scope, id, {
      terraformResourceType: 'accessflow_grant',
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
    this._allowedSchemas = config.allowedSchemas;
    this._allowedTables = config.allowedTables;
    this._canBreakGlass = config.canBreakGlass;
    this._canDdl = config.canDdl;
    this._canRead = config.canRead;
    this._canWrite = config.canWrite;
    this._datasourceId = config.datasourceId;
    this._expiresAt = config.expiresAt;
    this._groupId = config.groupId;
    this._maxRows = config.maxRows;
    this._restrictedColumns = config.restrictedColumns;
    this._userId = config.userId;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // allowed_schemas - computed: false, optional: true, required: false
  private _allowedSchemas?: string[]; 
  public get allowedSchemas() {
    return this.getListAttribute('allowed_schemas');
  }
  public set allowedSchemas(value: string[]) {
    this._allowedSchemas = value;
  }
  public resetAllowedSchemas() {
    this._allowedSchemas = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allowedSchemasInput() {
    return this._allowedSchemas;
  }

  // allowed_tables - computed: false, optional: true, required: false
  private _allowedTables?: string[]; 
  public get allowedTables() {
    return this.getListAttribute('allowed_tables');
  }
  public set allowedTables(value: string[]) {
    this._allowedTables = value;
  }
  public resetAllowedTables() {
    this._allowedTables = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allowedTablesInput() {
    return this._allowedTables;
  }

  // can_break_glass - computed: true, optional: true, required: false
  private _canBreakGlass?: boolean | cdktn.IResolvable; 
  public get canBreakGlass() {
    return this.getBooleanAttribute('can_break_glass');
  }
  public set canBreakGlass(value: boolean | cdktn.IResolvable) {
    this._canBreakGlass = value;
  }
  public resetCanBreakGlass() {
    this._canBreakGlass = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get canBreakGlassInput() {
    return this._canBreakGlass;
  }

  // can_ddl - computed: true, optional: true, required: false
  private _canDdl?: boolean | cdktn.IResolvable; 
  public get canDdl() {
    return this.getBooleanAttribute('can_ddl');
  }
  public set canDdl(value: boolean | cdktn.IResolvable) {
    this._canDdl = value;
  }
  public resetCanDdl() {
    this._canDdl = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get canDdlInput() {
    return this._canDdl;
  }

  // can_read - computed: true, optional: true, required: false
  private _canRead?: boolean | cdktn.IResolvable; 
  public get canRead() {
    return this.getBooleanAttribute('can_read');
  }
  public set canRead(value: boolean | cdktn.IResolvable) {
    this._canRead = value;
  }
  public resetCanRead() {
    this._canRead = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get canReadInput() {
    return this._canRead;
  }

  // can_write - computed: true, optional: true, required: false
  private _canWrite?: boolean | cdktn.IResolvable; 
  public get canWrite() {
    return this.getBooleanAttribute('can_write');
  }
  public set canWrite(value: boolean | cdktn.IResolvable) {
    this._canWrite = value;
  }
  public resetCanWrite() {
    this._canWrite = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get canWriteInput() {
    return this._canWrite;
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

  // expires_at - computed: false, optional: true, required: false
  private _expiresAt?: string; 
  public get expiresAt() {
    return this.getStringAttribute('expires_at');
  }
  public set expiresAt(value: string) {
    this._expiresAt = value;
  }
  public resetExpiresAt() {
    this._expiresAt = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get expiresAtInput() {
    return this._expiresAt;
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

  // max_rows - computed: false, optional: true, required: false
  private _maxRows?: number; 
  public get maxRows() {
    return this.getNumberAttribute('max_rows');
  }
  public set maxRows(value: number) {
    this._maxRows = value;
  }
  public resetMaxRows() {
    this._maxRows = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get maxRowsInput() {
    return this._maxRows;
  }

  // restricted_columns - computed: false, optional: true, required: false
  private _restrictedColumns?: string[]; 
  public get restrictedColumns() {
    return this.getListAttribute('restricted_columns');
  }
  public set restrictedColumns(value: string[]) {
    this._restrictedColumns = value;
  }
  public resetRestrictedColumns() {
    this._restrictedColumns = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get restrictedColumnsInput() {
    return this._restrictedColumns;
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

  // created_at - computed: true, optional: false, required: false
  public get createdAt() {
    return this.getStringAttribute('created_at');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      allowed_schemas: cdktn.listMapper(cdktn.stringToTerraform, false)(this._allowedSchemas),
      allowed_tables: cdktn.listMapper(cdktn.stringToTerraform, false)(this._allowedTables),
      can_break_glass: cdktn.booleanToTerraform(this._canBreakGlass),
      can_ddl: cdktn.booleanToTerraform(this._canDdl),
      can_read: cdktn.booleanToTerraform(this._canRead),
      can_write: cdktn.booleanToTerraform(this._canWrite),
      datasource_id: cdktn.stringToTerraform(this._datasourceId),
      expires_at: cdktn.stringToTerraform(this._expiresAt),
      group_id: cdktn.stringToTerraform(this._groupId),
      max_rows: cdktn.numberToTerraform(this._maxRows),
      restricted_columns: cdktn.listMapper(cdktn.stringToTerraform, false)(this._restrictedColumns),
      user_id: cdktn.stringToTerraform(this._userId),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      allowed_schemas: {
        value: cdktn.listMapperHcl(cdktn.stringToHclTerraform, false)(this._allowedSchemas),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      allowed_tables: {
        value: cdktn.listMapperHcl(cdktn.stringToHclTerraform, false)(this._allowedTables),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      can_break_glass: {
        value: cdktn.booleanToHclTerraform(this._canBreakGlass),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      can_ddl: {
        value: cdktn.booleanToHclTerraform(this._canDdl),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      can_read: {
        value: cdktn.booleanToHclTerraform(this._canRead),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      can_write: {
        value: cdktn.booleanToHclTerraform(this._canWrite),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      datasource_id: {
        value: cdktn.stringToHclTerraform(this._datasourceId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      expires_at: {
        value: cdktn.stringToHclTerraform(this._expiresAt),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      group_id: {
        value: cdktn.stringToHclTerraform(this._groupId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      max_rows: {
        value: cdktn.numberToHclTerraform(this._maxRows),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      restricted_columns: {
        value: cdktn.listMapperHcl(cdktn.stringToHclTerraform, false)(this._restrictedColumns),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      user_id: {
        value: cdktn.stringToHclTerraform(this._userId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}

// https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/grant
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface DataAccessflowGrantConfig extends cdktn.TerraformMetaArguments {
  /**
  * The object id.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/grant#id DataAccessflowGrant#id}
  *
  * Please be aware that the id field is automatically added to all resources in Terraform providers using a Terraform provider SDK version below 2.
  * If you experience problems setting this value it might not be settable. Please take a look at the provider documentation to ensure it should be settable.
  */
  readonly id?: string;
}

/**
* Represents a {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/grant accessflow_grant}
*/
export class DataAccessflowGrant extends cdktn.TerraformDataSource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "accessflow_grant";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a DataAccessflowGrant resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DataAccessflowGrant to import
  * @param importFromId The id of the existing DataAccessflowGrant that should be imported. Refer to the {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/grant#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DataAccessflowGrant to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "accessflow_grant", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/data-sources/grant accessflow_grant} Data Source
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DataAccessflowGrantConfig = {}
  */
  public constructor(scope: Construct, id: string, config: DataAccessflowGrantConfig = {}) {
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
    this._id = config.id;
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

  // allowed_schemas - computed: true, optional: false, required: false
  public get allowedSchemas() {
    return this.getListAttribute('allowed_schemas');
  }

  // allowed_tables - computed: true, optional: false, required: false
  public get allowedTables() {
    return this.getListAttribute('allowed_tables');
  }

  // can_break_glass - computed: true, optional: false, required: false
  public get canBreakGlass() {
    return this.getBooleanAttribute('can_break_glass');
  }

  // can_ddl - computed: true, optional: false, required: false
  public get canDdl() {
    return this.getBooleanAttribute('can_ddl');
  }

  // can_read - computed: true, optional: false, required: false
  public get canRead() {
    return this.getBooleanAttribute('can_read');
  }

  // can_write - computed: true, optional: false, required: false
  public get canWrite() {
    return this.getBooleanAttribute('can_write');
  }

  // datasource_id - computed: true, optional: false, required: false
  public get datasourceId() {
    return this.getStringAttribute('datasource_id');
  }

  // expires_at - computed: true, optional: false, required: false
  public get expiresAt() {
    return this.getStringAttribute('expires_at');
  }

  // group_id - computed: true, optional: false, required: false
  public get groupId() {
    return this.getStringAttribute('group_id');
  }

  // max_rows - computed: true, optional: false, required: false
  public get maxRows() {
    return this.getNumberAttribute('max_rows');
  }

  // restricted_columns - computed: true, optional: false, required: false
  public get restrictedColumns() {
    return this.getListAttribute('restricted_columns');
  }

  // user_id - computed: true, optional: false, required: false
  public get userId() {
    return this.getStringAttribute('user_id');
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
      id: cdktn.stringToTerraform(this._id),
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
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}

// https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/query_template
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface QueryTemplateConfig extends cdktn.TerraformMetaArguments {
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/query_template#body QueryTemplate#body}
  */
  readonly body: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/query_template#datasource_id QueryTemplate#datasource_id}
  */
  readonly datasourceId?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/query_template#description QueryTemplate#description}
  */
  readonly description?: string;
  /**
  * Natural key among your templates.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/query_template#name QueryTemplate#name}
  */
  readonly name: string;
  /**
  * PRIVATE by default.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/query_template#visibility QueryTemplate#visibility}
  */
  readonly visibility?: string;
}

/**
* Represents a {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/query_template accessflow_query_template}
*/
export class QueryTemplate extends cdktn.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "accessflow_query_template";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a QueryTemplate resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the QueryTemplate to import
  * @param importFromId The id of the existing QueryTemplate that should be imported. Refer to the {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/query_template#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the QueryTemplate to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "accessflow_query_template", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/query_template accessflow_query_template} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options QueryTemplateConfig
  */
  public constructor(scope: Construct, id: string, config: QueryTemplateConfig) {
    super(scope, id, {
      terraformResourceType: 'accessflow_query_template',
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
    this._body = config.body;
    this._datasourceId = config.datasourceId;
    this._description = config.description;
    this._name = config.name;
    this._visibility = config.visibility;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // body - computed: false, optional: false, required: true
  private _body?: string; 
  public get body() {
    return this.getStringAttribute('body');
  }
  public set body(value: string) {
    this._body = value;
  }
  // Temporarily expose input value. Use with caution.
  public get bodyInput() {
    return this._body;
  }

  // datasource_id - computed: false, optional: true, required: false
  private _datasourceId?: string; 
  public get datasourceId() {
    return this.getStringAttribute('datasource_id');
  }
  public set datasourceId(value: string) {
    this._datasourceId = value;
  }
  public resetDatasourceId() {
    this._datasourceId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get datasourceIdInput() {
    return this._datasourceId;
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

  // visibility - computed: true, optional: true, required: false
  private _visibility?: string; 
  public get visibility() {
    return this.getStringAttribute('visibility');
  }
  public set visibility(value: string) {
    this._visibility = value;
  }
  public resetVisibility() {
    this._visibility = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get visibilityInput() {
    return this._visibility;
  }

  // created_at - computed: true, optional: false, required: false
  public get createdAt() {
    return this.getStringAttribute('created_at');
  }

  // current_version - computed: true, optional: false, required: false
  public get currentVersion() {
    return this.getNumberAttribute('current_version');
  }

  // owner_id - computed: true, optional: false, required: false
  public get ownerId() {
    return this.getStringAttribute('owner_id');
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
      body: cdktn.stringToTerraform(this._body),
      datasource_id: cdktn.stringToTerraform(this._datasourceId),
      description: cdktn.stringToTerraform(this._description),
      name: cdktn.stringToTerraform(this._name),
      visibility: cdktn.stringToTerraform(this._visibility),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      body: {
        value: cdktn.stringToHclTerraform(this._body),
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
      description: {
        value: cdktn.stringToHclTerraform(this._description),
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
      visibility: {
        value: cdktn.stringToHclTerraform(this._visibility),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}

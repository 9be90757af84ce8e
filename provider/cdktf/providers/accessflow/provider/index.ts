// https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface AccessflowProviderConfig {
  /**
  * Base URL of the AccessFlow server (e.g. `https://accessflow.example.com`). Default: `ACCESSFLOW_ENDPOINT`.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs#endpoint AccessflowProvider#endpoint}
  */
  readonly endpoint?: string;
  /**
  * An API key (`af_…`), e.g. of a service account. Default: `ACCESSFLOW_API_KEY`.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs#api_key AccessflowProvider#api_key}
  */
  readonly apiKey?: string;
  /**
  * Alias name
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs#alias AccessflowProvider#alias}
  */
  readonly alias?: string;
}

/**
* Represents a {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs accessflow}
*/
export class AccessflowProvider extends cdktn.TerraformProvider {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "accessflow";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a AccessflowProvider resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the AccessflowProvider to import
  * @param importFromId The id of the existing AccessflowProvider that should be imported. Refer to the {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the AccessflowProvider to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "accessflow", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs accessflow} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options AccessflowProviderConfig = {}
  */
  public constructor(scope: Construct, id: string, config: AccessflowProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'accessflow',
      terraformGeneratorMetadata: {
        providerName: 'accessflow'
      },
      terraformProviderSource: 'registry.accessflow.dev/accessflow/accessflow'
    });
    this._endpoint = config.endpoint;
    this._apiKey = config.apiKey;
    this._alias = config.alias;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // endpoint - computed: false, optional: true, required: false
  private _endpoint?: string; 
  public get endpoint() {
    return this._endpoint;
  }
  public set endpoint(value: string | undefined) {
    this._endpoint = value;
  }
  public resetEndpoint() {
    this._endpoint = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get endpointInput() {
    return this._endpoint;
  }

  // api_key - computed: false, optional: true, required: false
  private _apiKey?: string; 
  public get apiKey() {
    return this._apiKey;
  }
  public set apiKey(value: string | undefined) {
    this._apiKey = value;
  }
  public resetApiKey() {
    this._apiKey = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get apiKeyInput() {
    return this._apiKey;
  }

  // alias - computed: false, optional: true, required: false
  private _alias?: string; 
  public get alias() {
    return this._alias;
  }
  public set alias(value: string | undefined) {
    this._alias = value;
  }
  public resetAlias() {
    this._alias = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get aliasInput() {
    return this._alias;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      endpoint: cdktn.stringToTerraform(this._endpoint),
      api_key: cdktn.stringToTerraform(this._apiKey),
      alias: cdktn.stringToTerraform(this._alias),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      endpoint: {
        value: cdktn.stringToHclTerraform(this._endpoint),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      api_key: {
        value: cdktn.stringToHclTerraform(this._apiKey),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      alias: {
        value: cdktn.stringToHclTerraform(this._alias),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}

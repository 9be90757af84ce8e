// https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/ai_config
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface AiConfigConfig extends cdktn.TerraformMetaArguments {
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/ai_config#ai_provider AiConfig#ai_provider}
  */
  readonly aiProvider: string;
  /**
  * Write-only. Required for ANTHROPIC and OPENAI. Never stored in state; change `api_key_wo_version` to send a new value.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/ai_config#api_key AiConfig#api_key}
  */
  readonly apiKey?: string;
  /**
  * Any number; changing it sends `api_key` again. Not stored by the server (null after import).
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/ai_config#api_key_wo_version AiConfig#api_key_wo_version}
  */
  readonly apiKeyWoVersion?: number;
  /**
  * Base URL (required for OPENAI_COMPATIBLE, OLLAMA, HUGGING_FACE), e.g. http://127.0.0.1:11434 or https://host/v1.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/ai_config#endpoint AiConfig#endpoint}
  */
  readonly endpoint?: string;
  /**
  * Default 1024 (64 to 32000).
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/ai_config#max_completion_tokens AiConfig#max_completion_tokens}
  */
  readonly maxCompletionTokens?: number;
  /**
  * Default 8000 (256 to 200000): a longer prompt is not sent and the review fails closed.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/ai_config#max_prompt_tokens AiConfig#max_prompt_tokens}
  */
  readonly maxPromptTokens?: number;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/ai_config#model AiConfig#model}
  */
  readonly model: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/ai_config#name AiConfig#name}
  */
  readonly name: string;
  /**
  * Must contain {{sql}}; may use {{schema_context}}, {{db_type}}, {{language}}. Default: the built-in prompt.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/ai_config#system_prompt_template AiConfig#system_prompt_template}
  */
  readonly systemPromptTemplate?: string;
  /**
  * Default 30000 (1000 to 120000).
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/ai_config#timeout_ms AiConfig#timeout_ms}
  */
  readonly timeoutMs?: number;
}

/**
* Represents a {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/ai_config accessflow_ai_config}
*/
export class AiConfig extends cdktn.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "accessflow_ai_config";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a AiConfig resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the AiConfig to import
  * @param importFromId The id of the existing AiConfig that should be imported. Refer to the {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/ai_config#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the AiConfig to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "accessflow_ai_config", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/ai_config accessflow_ai_config} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options AiConfigConfig
  */
  public constructor(scope: Construct, id: string, config: AiConfigConfig) {
    super(scope, id, {
      terraformResourceType: 'accessflow_ai_config',
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
    this._aiProvider = config.aiProvider;
    this._apiKey = config.apiKey;
    this._apiKeyWoVersion = config.apiKeyWoVersion;
    this._endpoint = config.endpoint;
    this._maxCompletionTokens = config.maxCompletionTokens;
    this._maxPromptTokens = config.maxPromptTokens;
    this._model = config.model;
    this._name = config.name;
    this._systemPromptTemplate = config.systemPromptTemplate;
    this._timeoutMs = config.timeoutMs;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // ai_provider - computed: false, optional: false, required: true
  private _aiProvider?: string; 
  public get aiProvider() {
    return this.getStringAttribute('ai_provider');
  }
  public set aiProvider(value: string) {
    this._aiProvider = value;
  }
  // Temporarily expose input value. Use with caution.
  public get aiProviderInput() {
    return this._aiProvider;
  }

  // api_key - computed: false, optional: true, required: false
  private _apiKey?: string; 
  /**
  * @deprecated Write-only: the provider never returns this value; reading it always yields null by protocol contract. The getter remains for compatibility and will be removed in a future prebuilt-provider major.
  */
  public get apiKey() {
    return this.getStringAttribute('api_key');
  }
  public set apiKey(value: string) {
    this._apiKey = value;
  }
  public resetApiKey() {
    this._apiKey = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get apiKeyInput() {
    return this._apiKey;
  }

  // api_key_wo_version - computed: false, optional: true, required: false
  private _apiKeyWoVersion?: number; 
  public get apiKeyWoVersion() {
    return this.getNumberAttribute('api_key_wo_version');
  }
  public set apiKeyWoVersion(value: number) {
    this._apiKeyWoVersion = value;
  }
  public resetApiKeyWoVersion() {
    this._apiKeyWoVersion = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get apiKeyWoVersionInput() {
    return this._apiKeyWoVersion;
  }

  // endpoint - computed: false, optional: true, required: false
  private _endpoint?: string; 
  public get endpoint() {
    return this.getStringAttribute('endpoint');
  }
  public set endpoint(value: string) {
    this._endpoint = value;
  }
  public resetEndpoint() {
    this._endpoint = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get endpointInput() {
    return this._endpoint;
  }

  // max_completion_tokens - computed: true, optional: true, required: false
  private _maxCompletionTokens?: number; 
  public get maxCompletionTokens() {
    return this.getNumberAttribute('max_completion_tokens');
  }
  public set maxCompletionTokens(value: number) {
    this._maxCompletionTokens = value;
  }
  public resetMaxCompletionTokens() {
    this._maxCompletionTokens = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get maxCompletionTokensInput() {
    return this._maxCompletionTokens;
  }

  // max_prompt_tokens - computed: true, optional: true, required: false
  private _maxPromptTokens?: number; 
  public get maxPromptTokens() {
    return this.getNumberAttribute('max_prompt_tokens');
  }
  public set maxPromptTokens(value: number) {
    this._maxPromptTokens = value;
  }
  public resetMaxPromptTokens() {
    this._maxPromptTokens = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get maxPromptTokensInput() {
    return this._maxPromptTokens;
  }

  // model - computed: false, optional: false, required: true
  private _model?: string; 
  public get model() {
    return this.getStringAttribute('model');
  }
  public set model(value: string) {
    this._model = value;
  }
  // Temporarily expose input value. Use with caution.
  public get modelInput() {
    return this._model;
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

  // system_prompt_template - computed: false, optional: true, required: false
  private _systemPromptTemplate?: string; 
  public get systemPromptTemplate() {
    return this.getStringAttribute('system_prompt_template');
  }
  public set systemPromptTemplate(value: string) {
    this._systemPromptTemplate = value;
  }
  public resetSystemPromptTemplate() {
    this._systemPromptTemplate = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get systemPromptTemplateInput() {
    return this._systemPromptTemplate;
  }

  // timeout_ms - computed: true, optional: true, required: false
  private _timeoutMs?: number; 
  public get timeoutMs() {
    return this.getNumberAttribute('timeout_ms');
  }
  public set timeoutMs(value: number) {
    this._timeoutMs = value;
  }
  public resetTimeoutMs() {
    this._timeoutMs = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get timeoutMsInput() {
    return this._timeoutMs;
  }

  // api_key_set - computed: true, optional: false, required: false
  public get apiKeySet() {
    return this.getBooleanAttribute('api_key_set');
  }

  // api_key_version - computed: true, optional: false, required: false
  public get apiKeyVersion() {
    return this.getNumberAttribute('api_key_version');
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
      ai_provider: cdktn.stringToTerraform(this._aiProvider),
      api_key: this.markWriteOnlyAttribute(cdktn.stringToTerraform(this._apiKey)),
      api_key_wo_version: cdktn.numberToTerraform(this._apiKeyWoVersion),
      endpoint: cdktn.stringToTerraform(this._endpoint),
      max_completion_tokens: cdktn.numberToTerraform(this._maxCompletionTokens),
      max_prompt_tokens: cdktn.numberToTerraform(this._maxPromptTokens),
      model: cdktn.stringToTerraform(this._model),
      name: cdktn.stringToTerraform(this._name),
      system_prompt_template: cdktn.stringToTerraform(this._systemPromptTemplate),
      timeout_ms: cdktn.numberToTerraform(this._timeoutMs),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      ai_provider: {
        value: cdktn.stringToHclTerraform(this._aiProvider),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      api_key: {
        value: this.markWriteOnlyAttribute(cdktn.stringToHclTerraform(this._apiKey)),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      api_key_wo_version: {
        value: cdktn.numberToHclTerraform(this._apiKeyWoVersion),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      endpoint: {
        value: cdktn.stringToHclTerraform(this._endpoint),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      max_completion_tokens: {
        value: cdktn.numberToHclTerraform(this._maxCompletionTokens),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      max_prompt_tokens: {
        value: cdktn.numberToHclTerraform(this._maxPromptTokens),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      model: {
        value: cdktn.stringToHclTerraform(this._model),
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
      system_prompt_template: {
        value: cdktn.stringToHclTerraform(this._systemPromptTemplate),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      timeout_ms: {
        value: cdktn.numberToHclTerraform(this._timeoutMs),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}

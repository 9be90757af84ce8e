// https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/notification_channel
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface NotificationChannelConfig extends cdktn.TerraformMetaArguments {
  /**
  * Default true.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/notification_channel#active NotificationChannel#active}
  */
  readonly active?: boolean | cdktn.IResolvable;
  /**
  * Default false.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/notification_channel#all_events NotificationChannel#all_events}
  */
  readonly allEvents?: boolean | cdktn.IResolvable;
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/notification_channel#channel_type NotificationChannel#channel_type}
  */
  readonly channelType: string;
  /**
  * The non-secret keys: EMAIL to, from, smtp_host, smtp_port, smtp_user; WEBHOOK url; TELEGRAM chat_id, api_url; PAGERDUTY api_url ({} for SLACK, DISCORD, MS_TEAMS).
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/notification_channel#config NotificationChannel#config}
  */
  readonly config: { [key: string]: string };
  /**
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/notification_channel#name NotificationChannel#name}
  */
  readonly name: string;
  /**
  * Write-only, the secret keys: EMAIL smtp_password; SLACK, DISCORD, MS_TEAMS webhook_url; WEBHOOK secret; TELEGRAM bot_token; PAGERDUTY routing_key. Omitted → the stored ones are kept (same channel type). Never stored in state; change `secrets_wo_version` to send a new value.
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/notification_channel#secrets NotificationChannel#secrets}
  */
  readonly secrets?: { [key: string]: string };
  /**
  * Any number; changing it sends `secrets` again. Not stored by the server (null after import).
  *
  * Docs at Terraform Registry: {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/notification_channel#secrets_wo_version NotificationChannel#secrets_wo_version}
  */
  readonly secretsWoVersion?: number;
}

/**
* Represents a {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/notification_channel accessflow_notification_channel}
*/
export class NotificationChannel extends cdktn.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "accessflow_notification_channel";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a NotificationChannel resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the NotificationChannel to import
  * @param importFromId The id of the existing NotificationChannel that should be imported. Refer to the {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/notification_channel#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the NotificationChannel to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "accessflow_notification_channel", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.accessflow.dev/providers/accessflow/accessflow/latest/docs/resources/notification_channel accessflow_notification_channel} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options NotificationChannelConfig
  */
  public constructor(scope: Construct, id: string, config: NotificationChannelConfig) {
    super(scope, id, {
      terraformResourceType: 'accessflow_notification_channel',
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
    this._allEvents = config.allEvents;
    this._channelType = config.channelType;
    this._config = config.config;
    this._name = config.name;
    this._secrets = config.secrets;
    this._secretsWoVersion = config.secretsWoVersion;
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

  // all_events - computed: true, optional: true, required: false
  private _allEvents?: boolean | cdktn.IResolvable; 
  public get allEvents() {
    return this.getBooleanAttribute('all_events');
  }
  public set allEvents(value: boolean | cdktn.IResolvable) {
    this._allEvents = value;
  }
  public resetAllEvents() {
    this._allEvents = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allEventsInput() {
    return this._allEvents;
  }

  // channel_type - computed: false, optional: false, required: true
  private _channelType?: string; 
  public get channelType() {
    return this.getStringAttribute('channel_type');
  }
  public set channelType(value: string) {
    this._channelType = value;
  }
  // Temporarily expose input value. Use with caution.
  public get channelTypeInput() {
    return this._channelType;
  }

  // config - computed: false, optional: false, required: true
  private _config?: { [key: string]: string }; 
  public get config() {
    return this.getStringMapAttribute('config');
  }
  public set config(value: { [key: string]: string }) {
    this._config = value;
  }
  // Temporarily expose input value. Use with caution.
  public get configInput() {
    return this._config;
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

  // secrets - computed: false, optional: true, required: false
  private _secrets?: { [key: string]: string }; 
  /**
  * @deprecated Write-only: the provider never returns this value; reading it always yields null by protocol contract. The getter remains for compatibility and will be removed in a future prebuilt-provider major.
  */
  public get secrets() {
    return this.getStringMapAttribute('secrets');
  }
  public set secrets(value: { [key: string]: string }) {
    this._secrets = value;
  }
  public resetSecrets() {
    this._secrets = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get secretsInput() {
    return this._secrets;
  }

  // secrets_wo_version - computed: false, optional: true, required: false
  private _secretsWoVersion?: number; 
  public get secretsWoVersion() {
    return this.getNumberAttribute('secrets_wo_version');
  }
  public set secretsWoVersion(value: number) {
    this._secretsWoVersion = value;
  }
  public resetSecretsWoVersion() {
    this._secretsWoVersion = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get secretsWoVersionInput() {
    return this._secretsWoVersion;
  }

  // created_at - computed: true, optional: false, required: false
  public get createdAt() {
    return this.getStringAttribute('created_at');
  }

  // secret_keys - computed: true, optional: false, required: false
  public get secretKeys() {
    return this.getListAttribute('secret_keys');
  }

  // secrets_version - computed: true, optional: false, required: false
  public get secretsVersion() {
    return this.getNumberAttribute('secrets_version');
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
      all_events: cdktn.booleanToTerraform(this._allEvents),
      channel_type: cdktn.stringToTerraform(this._channelType),
      config: cdktn.hashMapper(cdktn.stringToTerraform)(this._config),
      name: cdktn.stringToTerraform(this._name),
      secrets: this.markWriteOnlyAttribute(cdktn.hashMapper(cdktn.stringToTerraform)(this._secrets)),
      secrets_wo_version: cdktn.numberToTerraform(this._secretsWoVersion),
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
      all_events: {
        value: cdktn.booleanToHclTerraform(this._allEvents),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      channel_type: {
        value: cdktn.stringToHclTerraform(this._channelType),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      config: {
        value: cdktn.hashMapperHcl(cdktn.stringToHclTerraform)(this._config),
        isBlock: false,
        type: "map",
        storageClassType: "stringMap",
      },
      name: {
        value: cdktn.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      secrets: {
        value: this.markWriteOnlyAttribute(cdktn.hashMapperHcl(cdktn.stringToHclTerraform)(this._secrets)),
        isBlock: false,
        type: "map",
        storageClassType: "stringMap",
      },
      secrets_wo_version: {
        value: cdktn.numberToHclTerraform(this._secretsWoVersion),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}

// Imported first by scripts/cdktf.ts: @cdktn/provider-generator shells out to `terraform version` and reads
// the environment when it loads, so the CLI config and checkpoint settings must be in place before that.
process.env['TF_CLI_CONFIG_FILE'] = '/dev/null';
process.env['CHECKPOINT_DISABLE'] = '1';

/** The version of the CLI and the actions: the one `@accessflow/cli` is published with. */
import packageJson from '../cli/package.json' with { type: 'json' };

export const VERSION: string = packageJson.version;

/** terraform-provider-accessflow: started by Terraform (go-plugin), never by hand. */
import { RESOURCES } from './generated/resources.ts';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, serve } from './protocol/serve.ts';
import { createProvider } from './provider.ts';

const log = (message: string) => process.stderr.write(`${message}\n`);

async function main(): Promise<void> {
  try {
    const served = await serve({
      handlers: createProvider({ resources: RESOURCES }),
      log,
      onShutdown: () => void served.stop().then(() => process.exit(0)),
    });
    process.stdout.write(`${served.handshake}\n`);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void served.stop().then(() => process.exit(0)));
  } catch (failure) {
    log(`terraform-provider-accessflow failed to start: ${failure instanceof Error ? failure.message : String(failure)}`);
    process.exit(1);
  }
}

if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
  log('This is a Terraform provider: Terraform starts it. Put it in a plugin directory and run `terraform init`.');
  process.exit(1);
}
void main();

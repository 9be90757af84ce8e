import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';

try {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const app = await buildApp(config, log);
  const url = await app.start();
  log.info({ url, store: app.services.store.kind, bus: app.services.bus.kind }, `AccessFlow listening on ${url}/graphql`);
  if (app.setupToken) {
    // A plain line on purpose: people and scripts look for it (`setup token: …`).
    process.stdout.write(`setup token: ${app.setupToken}\n`);
    log.info('no organization yet: call the setup mutation with the setup token printed above');
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'shutting down');
      void app.stop().then(() => process.exit(0));
    });
  }
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
}

/**
 * go-plugin's side of the Terraform handshake: check the magic cookie, bind a gRPC server on a unix socket with
 * AutoMTLS (the client certificate from PLUGIN_CLIENT_CERT is the only trusted CA and is required), print the
 * one handshake line, and serve tfplugin6.Provider plus GRPCController (Shutdown) and GRPCStdio.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { createServerCertificate } from './certificate.ts';

export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

/** One async function per tfplugin6 RPC the provider implements (request and response as plain objects). */
export type ProviderHandlers = Record<string, (request: never) => Promise<object>>;

/** The .proto files sit beside the bundle (dist/proto) or in the workspace (provider/proto). */
function protoDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'proto'), join(here, '..', 'proto'), join(here, '..', '..', 'proto')];
  const found = candidates.find((dir) => existsSync(join(dir, 'tfplugin6.proto')));
  if (!found) throw new Error(`tfplugin6.proto not found near ${here}`);
  return found;
}

function loadServices() {
  const dir = protoDir();
  const options = { keepCase: true, longs: Number, enums: String, defaults: false, oneofs: true };
  const definition = protoLoader.loadSync([join(dir, 'tfplugin6.proto'), join(dir, 'go-plugin.proto')], options);
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    tfplugin6: { Provider: grpc.ServiceClientConstructor };
    plugin: { GRPCController: grpc.ServiceClientConstructor; GRPCStdio: grpc.ServiceClientConstructor };
  };
  return loaded;
}

export interface Served {
  /** The line go-plugin expects on stdout. */
  handshake: string;
  /** Lets calls in flight (the Shutdown answer itself) finish, then closes the socket; forced after 300 ms. */
  stop(): Promise<void>;
}

export interface ServeOptions {
  handlers: ProviderHandlers;
  env?: NodeJS.ProcessEnv;
  log: (message: string) => void;
  /** Called after GRPCController.Shutdown has been answered. */
  onShutdown: () => void;
}

export async function serve(options: ServeOptions): Promise<Served> {
  const env = options.env ?? process.env;
  const versions = (env['PLUGIN_PROTOCOL_VERSIONS'] ?? '6').split(',');
  if (!versions.includes('6')) throw new Error(`Terraform offers plugin protocol ${versions.join(',')}; this provider speaks 6 only (Terraform ≥ 1.0)`);
  const services = loadServices();
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 256 * 1024 * 1024, 'grpc.max_send_message_length': 256 * 1024 * 1024 });

  const provider: grpc.UntypedServiceImplementation = {};
  for (const [name, handler] of Object.entries(options.handlers)) {
    const unary: grpc.handleUnaryCall<object, object> = (call, callback) => {
      handler(call.request as never).then(
        (response) => callback(null, response),
        (error: unknown) => {
          options.log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          callback({ code: grpc.status.INTERNAL, details: error instanceof Error ? error.message : String(error) });
        },
      );
    };
    provider[name] = unary;
  }
  server.addService(services.tfplugin6.Provider.service, provider);
  server.addService(services.plugin.GRPCController.service, {
    Shutdown: (_call: grpc.ServerUnaryCall<object, object>, callback: grpc.sendUnaryData<object>) => {
      callback(null, {});
      setImmediate(options.onShutdown);
    },
  });
  server.addService(services.plugin.GRPCStdio.service, {
    // Everything the provider prints goes to stderr, which go-plugin already forwards: nothing to stream.
    StreamStdio: (call: grpc.ServerWritableStream<object, object>) => call.end(),
  });

  const socketDir = mkdtempSync(join(env['PLUGIN_UNIX_SOCKET_DIR'] ?? tmpdir(), 'tf-accessflow-'));
  const socket = join(socketDir, 'plugin.sock');
  const clientCert = env['PLUGIN_CLIENT_CERT'];
  let credentials = grpc.ServerCredentials.createInsecure();
  let certField = '';
  if (clientCert) {
    const certificate = createServerCertificate();
    credentials = grpc.ServerCredentials.createSsl(
      Buffer.from(clientCert),
      [{ cert_chain: Buffer.from(certificate.certPem), private_key: Buffer.from(certificate.keyPem) }],
      true,
    );
    // go-plugin decodes this with base64.RawStdEncoding: no padding.
    certField = certificate.der.toString('base64').replace(/=+$/, '');
  }
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${socket}`, credentials, (error) => (error ? reject(error) : resolve())),
  );
  return {
    handshake: `1|6|unix|${socket}|grpc|${certField}`,
    stop() {
      return new Promise<void>((resolve) => {
        const done = () => {
          rmSync(socketDir, { recursive: true, force: true });
          resolve();
        };
        const force = setTimeout(() => (server.forceShutdown(), done()), 300);
        server.tryShutdown(() => (clearTimeout(force), done()));
      });
    },
  };
}

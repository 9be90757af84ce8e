/**
 * go-plugin's side of the Terraform handshake: check the magic cookie, bind a gRPC server on a unix socket with
 * AutoMTLS (the client certificate from PLUGIN_CLIENT_CERT is the only trusted CA and is required), print the
 * one handshake line, and serve tfplugin6.Provider plus GRPCController (Shutdown) and GRPCStdio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { SERVICES } from '../generated/protocol.ts';
import { createServerCertificate } from './certificate.ts';
import { deserializer, serializer } from './codecs.ts';

export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

/** One async function per tfplugin6 RPC the provider implements (request and response as plain objects). */
export type ProviderHandlers = Record<string, (request: never) => Promise<object>>;

/** The gRPC service definition of one protobuf service, its messages (de)serialized by pbjs's static codecs. */
function serviceDefinition(name: string): grpc.ServiceDefinition {
  const methods = SERVICES[name];
  if (!methods) throw new Error(`no protobuf service ${name}`);
  return Object.fromEntries(
    methods.map((method) => [
      method.name,
      {
        path: `/${name}/${method.name}`,
        requestStream: method.requestStream,
        responseStream: method.responseStream,
        requestSerialize: serializer(method.request),
        requestDeserialize: deserializer(method.request),
        responseSerialize: serializer(method.response),
        responseDeserialize: deserializer(method.response),
      },
    ]),
  ) as grpc.ServiceDefinition;
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
  // No channelz: its per-call bookkeeping cost a few per cent of a plan, and nothing here reads it.
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 256 * 1024 * 1024, 'grpc.max_send_message_length': 256 * 1024 * 1024, 'grpc.enable_channelz': 0 });

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
  server.addService(serviceDefinition('tfplugin6.Provider'), provider);
  server.addService(serviceDefinition('plugin.GRPCController'), {
    Shutdown: (_call: grpc.ServerUnaryCall<object, object>, callback: grpc.sendUnaryData<object>) => {
      callback(null, {});
      setImmediate(options.onShutdown);
    },
  });
  server.addService(serviceDefinition('plugin.GRPCStdio'), {
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

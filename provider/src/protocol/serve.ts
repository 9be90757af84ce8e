/**
 * go-plugin's side of the Terraform handshake: check the magic cookie, bind a gRPC server on a unix socket with
 * AutoMTLS (the client certificate from PLUGIN_CLIENT_CERT is the only trusted CA and is required), print the
 * one handshake line, and serve tfplugin6.Provider plus GRPCController (Shutdown) and GRPCStdio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs/light.js';
import { PROTOCOL } from '../generated/protocol.ts';
import { createServerCertificate } from './certificate.ts';

export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

/** One async function per tfplugin6 RPC the provider implements (request and response as plain objects). */
export type ProviderHandlers = Record<string, (request: never) => Promise<object>>;

/** Plain objects in and out of the handlers, as @grpc/proto-loader would give them. */
const CONVERSION: protobuf.IConversionOptions = { longs: Number, enums: String, defaults: false, oneofs: true };

/**
 * The gRPC service definition of one protobuf service from the precompiled descriptor (src/generated/protocol.ts):
 * no .proto parsing and no descriptor-proto encoding at start, and a message's codec is built on its first use.
 */
function serviceDefinition(root: protobuf.Root, name: string): grpc.ServiceDefinition {
  const service = root.lookupService(name);
  const methods = service.methodsArray.map((method) => {
    method.resolve();
    const request = method.resolvedRequestType;
    const response = method.resolvedResponseType;
    if (!request || !response) throw new Error(`${name}.${method.name}: unresolved message types`);
    const serialize = (type: protobuf.Type) => (value: object) => Buffer.from(type.encode(type.fromObject(value)).finish());
    const deserialize = (type: protobuf.Type) => (bytes: Buffer) => type.toObject(type.decode(bytes), CONVERSION);
    return [
      method.name,
      {
        path: `/${name}/${method.name}`,
        requestStream: method.requestStream === true,
        responseStream: method.responseStream === true,
        requestSerialize: serialize(request),
        requestDeserialize: deserialize(request),
        responseSerialize: serialize(response),
        responseDeserialize: deserialize(response),
      },
    ];
  });
  return Object.fromEntries(methods) as grpc.ServiceDefinition;
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
  const root = protobuf.Root.fromJSON(PROTOCOL as protobuf.INamespace);
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
  server.addService(serviceDefinition(root, 'tfplugin6.Provider'), provider);
  server.addService(serviceDefinition(root, 'plugin.GRPCController'), {
    Shutdown: (_call: grpc.ServerUnaryCall<object, object>, callback: grpc.sendUnaryData<object>) => {
      callback(null, {});
      setImmediate(options.onShutdown);
    },
  });
  server.addService(serviceDefinition(root, 'plugin.GRPCStdio'), {
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

/**
 * The protobuf messages of tfplugin6 and go-plugin as gRPC serializers: pbjs's static codecs
 * (src/generated/protocol-codecs.cjs) looked up by the full names in the generated service table.
 */
import codecs from '../generated/protocol-codecs.cjs';

export interface ServiceMethod {
  name: string;
  /** Full names of the message types, e.g. tfplugin6.GetMetadata.Request. */
  request: string;
  response: string;
  requestStream: boolean;
  responseStream: boolean;
}

/** What pbjs generates for one message type (the parts used here). */
export interface MessageCodec {
  encode(message: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
  fromObject(value: object): object;
  toObject(message: object, options: ConversionOptions): object;
}

export interface ConversionOptions {
  enums?: StringConstructor;
  defaults?: boolean;
  oneofs?: boolean;
}

/** A package or message namespace of the static module: nested types by name. */
export interface CodecNamespace {
  readonly [name: string]: unknown;
}

const isCodec = (value: unknown): value is MessageCodec =>
  typeof value === 'function' && ['encode', 'decode', 'fromObject', 'toObject'].every((name) => typeof (value as unknown as Record<string, unknown>)[name] === 'function');

/** The codec of one message type by its full name; throws when the static module lacks it. */
export function messageCodec(fullName: string): MessageCodec {
  let current: unknown = codecs;
  for (const part of fullName.split('.')) current = current !== null && (typeof current === 'object' || typeof current === 'function') ? (current as CodecNamespace)[part] : undefined;
  if (!isCodec(current)) throw new Error(`no protobuf codec for ${fullName}`);
  return current;
}

/** Plain objects in and out of the handlers: enums by name, no defaults for unset fields, oneofs named. */
const CONVERSION: ConversionOptions = { enums: String, defaults: false, oneofs: true };

export function serializer(fullName: string): (value: object) => Buffer {
  const codec = messageCodec(fullName);
  return (value) => {
    const bytes = codec.encode(codec.fromObject(value)).finish();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

export function deserializer(fullName: string): (bytes: Buffer) => object {
  const codec = messageCodec(fullName);
  return (bytes) => codec.toObject(codec.decode(bytes), CONVERSION);
}

/**
 * CDK Terrain (`cdktn`, the maintained fork of CDKTF) TypeScript bindings for this provider, generated offline:
 * the provider schema JSON (the `terraform providers schema -json` format) is built from the same Schema
 * messages the provider serves, then fed to @cdktn/provider-generator. Output: provider/cdktf/ (committed).
 * `--check` fails when the committed bindings are stale. Run: `node scripts/cdktf.ts`.
 */
import './cdktf-env.ts';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TerraformProviderGenerator } from '@cdktn/provider-generator/build/get/generator/provider-generator.js';
import { CodeMaker } from 'codemaker';
import { RESOURCES } from '../src/generated/resources.ts';
import { SIMULATION_ATTRIBUTES, SIMULATION_TYPE } from '../src/simulation.ts';
import { dataSourceSchema, PROVIDER_SCHEMA, resourceSchema, schemaOf, type Schema, type SchemaAttribute } from '../src/tf-schema.ts';
import { PROVIDER_SOURCE, PROVIDER_VERSION } from './build.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
export const CDKTF_DIR = join(root, 'cdktf');

function attributeJson(attribute: SchemaAttribute): Record<string, unknown> {
  return {
    ...(attribute.type ? { type: JSON.parse(attribute.type.toString()) } : {}),
    ...(attribute.nested_type
      ? { nested_type: { attributes: Object.fromEntries(attribute.nested_type.attributes.map((a) => [a.name, attributeJson(a)])), nesting_mode: 'list' } }
      : {}),
    ...(attribute.description ? { description: attribute.description, description_kind: 'markdown' } : {}),
    ...(attribute.required ? { required: true } : {}),
    ...(attribute.optional ? { optional: true } : {}),
    ...(attribute.computed ? { computed: true } : {}),
    ...(attribute.sensitive ? { sensitive: true } : {}),
    ...(attribute.write_only ? { write_only: true } : {}),
  };
}

function schemaJson(schema: Schema): Record<string, unknown> {
  return {
    version: schema.version,
    block: {
      attributes: Object.fromEntries(schema.block.attributes.map((a) => [a.name, attributeJson(a)])),
      description: schema.block.description,
      description_kind: 'markdown',
    },
  };
}

/** The provider schema in Terraform's `providers schema -json` format. */
export function providerSchemaJson() {
  return {
    format_version: '1.0',
    provider_schemas: {
      [PROVIDER_SOURCE]: {
        provider: schemaJson(PROVIDER_SCHEMA),
        resource_schemas: Object.fromEntries(RESOURCES.map((r) => [r.typeName, schemaJson(resourceSchema(r))])),
        data_source_schemas: {
          ...Object.fromEntries(RESOURCES.map((r) => [r.typeName, schemaJson(dataSourceSchema(r))])),
          [SIMULATION_TYPE]: schemaJson(schemaOf('', SIMULATION_ATTRIBUTES)),
        },
      },
    },
  };
}

async function generate(outDir: string): Promise<void> {
  const code = new CodeMaker();
  const generator = new TerraformProviderGenerator(code, providerSchemaJson() as never, { importExtension: '.ts' });
  generator.versions[PROVIDER_SOURCE] = PROVIDER_VERSION;
  generator.generateAll();
  await generator.save(outDir);
}

async function files(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(relative(dir, path), await readFile(path, 'utf8'));
  }
  return out;
}

/** Paths whose generated content differs from provider/cdktf (empty when up to date). */
export async function staleBindings(): Promise<string[]> {
  const scratch = await mkdtemp(join(tmpdir(), 'af-cdktf-'));
  try {
    await generate(scratch);
    const [fresh, committed] = [await files(scratch), await files(CDKTF_DIR).catch(() => new Map<string, string>())];
    return [...new Set([...fresh.keys(), ...committed.keys()])].filter((path) => fresh.get(path) !== committed.get(path)).sort();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const stale = await staleBindings();
    if (stale.length > 0) {
      process.stderr.write(`stale CDKTF bindings (run node provider/scripts/cdktf.ts): ${stale.join(', ')}\n`);
      process.exit(1);
    }
  } else {
    await rm(CDKTF_DIR, { recursive: true, force: true });
    await generate(CDKTF_DIR);
    process.stdout.write(`wrote ${CDKTF_DIR}\n`);
  }
}

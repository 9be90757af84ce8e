/** Registry-layout docs (docs/index.md, docs/resources/*.md, docs/data-sources/*.md) rendered from the specs. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AttributeSpec, AttributeType, ResourceSpec } from '../src/spec.ts';
import { dataSourceAttributes, lookupKeys } from '../src/tf-schema.ts';

function typeName(type: AttributeType): string {
  switch (type.kind) {
    case 'json':
      return 'String (JSON, compared as data)';
    case 'map':
      return 'Map of String';
    case 'list':
      return `List of ${typeName(type.element)}`;
    case 'objects':
      return 'List of Object';
    default:
      return type.kind === 'bool' ? 'Boolean' : type.kind === 'number' ? 'Number' : 'String';
  }
}

function line(attribute: AttributeSpec): string {
  const notes = [typeName(attribute.type)];
  if (attribute.sensitive) notes.push('Sensitive');
  if (attribute.writeOnly) notes.push('Write-only');
  if (attribute.replace) notes.push('Forces replacement');
  const nested = attribute.type.kind === 'objects' ? `\n${attribute.type.attributes.map((a) => `  - \`${a.name}\` (${typeName(a.type)}${a.required ? ', required' : ''}) ${a.description}`.trimEnd()).join('\n')}` : '';
  return `- \`${attribute.name}\` (${notes.join(', ')}) ${attribute.description}`.trimEnd() + nested;
}

const short = (resource: ResourceSpec) => resource.typeName.replace(/^accessflow_/, '');

async function example(root: string, path: string): Promise<string | null> {
  return readFile(join(root, path), 'utf8').catch(() => null);
}

/** The `resource "<type>" …` and `data "<type>" …` blocks of the applied example (examples/complete/main.tf). */
function blocksOf(source: string, kind: 'resource' | 'data', type: string): string | null {
  const blocks: string[] = [];
  const header = new RegExp(`^${kind} "${type}" "[^"]+" \\{$`, 'gm');
  for (const match of source.matchAll(header)) {
    let depth = 0;
    let end = match.index;
    for (; end < source.length; end++) {
      if (source[end] === '{') depth++;
      if (source[end] === '}' && --depth === 0) break;
    }
    blocks.push(source.slice(match.index, end + 1));
  }
  return blocks.length > 0 ? blocks.join('\n\n') : null;
}

export async function renderDocs(resources: ResourceSpec[], root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const complete = (await example(root, 'examples/complete/main.tf')) ?? '';
  const providerExample = await example(root, 'examples/provider/provider.tf');
  files.set(
    'docs/index.md',
    [
      '---',
      'page_title: "Provider: AccessFlow"',
      '---',
      '',
      '# AccessFlow Provider',
      '',
      'Manages AccessFlow governance objects through its public GraphQL API. Resources and attributes are generated',
      'from `schema/schema.graphql` (see `provider/scripts/derive.ts`), so the provider follows the API.',
      '',
      ...(providerExample ? ['## Example Usage', '', '```terraform', providerExample.trimEnd(), '```', ''] : []),
      '## Schema',
      '',
      '- `endpoint` (String) Base URL of the server. Default: `ACCESSFLOW_ENDPOINT`.',
      '- `api_key` (String, Sensitive) An API key (`af_…`). Default: `ACCESSFLOW_API_KEY`.',
      '',
      '## Resources',
      '',
      ...resources.map((r) => `- [\`${r.typeName}\`](resources/${short(r)}.md)`),
      '',
      'Every resource has a data source of the same name (`data-sources/`). A complete governance setup, applied by the',
      'provider\'s end-to-end tests, is in `examples/complete/`.',
      '',
    ].join('\n'),
  );
  for (const resource of resources) {
    const required = resource.attributes.filter((a) => a.required);
    const optional = resource.attributes.filter((a) => a.optional);
    const readOnly = resource.attributes.filter((a) => !a.required && !a.optional);
    const usage = blocksOf(complete, 'resource', resource.typeName);
    const importId = resource.importScope ? `<${resource.importScope}>/<id>` : '<id>';
    files.set(
      `docs/resources/${short(resource)}.md`,
      [
        '---',
        `page_title: "${resource.typeName} Resource"`,
        '---',
        '',
        `# ${resource.typeName} (Resource)`,
        '',
        resource.description,
        '',
        `Backed by \`${resource.upsert}\` (create and update: adopts an existing object with the same natural key), \`${resource.delete}\` and \`${resource.get}(id)\`.`,
        '',
        ...(usage ? ['## Example Usage', '', '```terraform', usage.trimEnd(), '```', ''] : []),
        '## Schema',
        '',
        ...(required.length ? ['### Required', '', ...required.map(line), ''] : []),
        ...(optional.length ? ['### Optional', '', ...optional.map(line), ''] : []),
        '### Read-Only',
        '',
        ...readOnly.map(line),
        '',
        '## Import',
        '',
        '```shell',
        `terraform import ${resource.typeName}.example ${importId}`,
        '```',
        '',
        ...(resource.attributes.some((a) => a.triggers)
          ? ['After an import the `*_wo_version` attributes are null (the server does not store them): the next plan sets them without sending the secret again unless they change.', '']
          : []),
      ].join('\n'),
    );
    const keys = lookupKeys(resource);
    files.set(
      `docs/data-sources/${short(resource)}.md`,
      [
        '---',
        `page_title: "${resource.typeName} Data Source"`,
        '---',
        '',
        `# ${resource.typeName} (Data Source)`,
        '',
        `${resource.description} Look it up by ${keys.map((k) => `\`${k}\``).join(' or ')}.`,
        '',
        ...(blocksOf(complete, 'data', resource.typeName) ? ['## Example Usage', '', '```terraform', blocksOf(complete, 'data', resource.typeName) ?? '', '```', ''] : []),
        '## Schema',
        '',
        ...dataSourceAttributes(resource).map((a) => line({ ...a, writeOnly: false, sensitive: false, replace: false })),
        '',
      ].join('\n'),
    );
  }
  return files;
}

/**
 * Packages the provider: an esbuild bundle (dist/provider.cjs, every npm dependency and the protobuf codecs
 * inside), its entry dist/launch.cjs (runs it from a code cache) and a `sh` launcher named as Terraform expects. `mirror` lays the package out as a filesystem
 * mirror for `terraform init -plugin-dir=<dir>`. Run: `node scripts/build.ts [outDir] [--mirror <dir>]`.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const PROVIDER_HOST = 'registry.accessflow.dev';
export const PROVIDER_SOURCE = `${PROVIDER_HOST}/accessflow/accessflow`;
export const PROVIDER_VERSION = '0.1.0';

const root = fileURLToPath(new URL('..', import.meta.url));

// launch.cjs runs provider.cjs from a V8 code cache (src/launch/code-cache.ts): Terraform starts the provider
// three times per plan.
const LAUNCHER = `#!/bin/sh
# terraform-provider-accessflow: runs the bundled provider on Node.js >= 20 (ACCESSFLOW_PROVIDER_NODE or node on PATH).
# \${0%/*} is dirname without starting one more process.
case "$0" in */*) here="\${0%/*}" ;; *) here=. ;; esac
exec "\${ACCESSFLOW_PROVIDER_NODE:-node}" "$here/launch.cjs" "$@"
`;

/** Writes provider.cjs, launch.cjs and the launcher `executable` into `outDir`. */
export async function bundle(outDir: string, executable = 'terraform-provider-accessflow'): Promise<string> {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [
      { in: join(root, 'src', 'main.ts'), out: 'provider' },
      { in: join(root, 'src', 'launch.ts'), out: 'launch' },
    ],
    outdir: outDir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    // CommonJS: every Node built-in is then a plain require(). An ES module would import built-ins through ESM
    // facades, which evaluate their lazy exports (node:http's would load undici, ~20 ms, at every start).
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const launcher = join(outDir, executable);
  await writeFile(launcher, LAUNCHER);
  await chmod(launcher, 0o755);
  return launcher;
}

/** An unpacked filesystem mirror: <dir>/<host>/accessflow/accessflow/<version>/<os_arch>/… */
export async function mirror(dir: string, platform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`): Promise<string> {
  const target = join(dir, PROVIDER_SOURCE, PROVIDER_VERSION, platform);
  await bundle(target, `terraform-provider-accessflow_v${PROVIDER_VERSION}`);
  return target;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mirrorAt = process.argv.indexOf('--mirror');
  if (mirrorAt >= 0) {
    const target = await mirror(process.argv[mirrorAt + 1] ?? join(root, 'dist', 'mirror'));
    process.stdout.write(`mirror: ${target}\n`);
  } else {
    const launcher = await bundle(process.argv[2] ?? join(root, 'dist'));
    process.stdout.write(`built ${launcher}\n`);
  }
}

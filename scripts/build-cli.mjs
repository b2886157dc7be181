// Build step, after tsc: bundles the command line into dist/cli-bundle/ as a few ES modules instead
// of the ~57 that tsc emits for a pre-commit scan, and makes dist/bin.js load it. Node 20 reads,
// compiles and links each module on its own (no compile cache), which cost the hook about 10 ms
// (BENCHMARKS.md). Dynamic imports stay separate chunks, so that a scan still loads only what it
// uses. The library (dist/index.js and its modules) stays as tsc emits it.
// The bundle sits one directory below dist/, as tsc's dist/cli/ and dist/rules/ do, so that the paths
// its modules resolve from import.meta.url (../rules.json, ../../package.json, ./scan-worker.js,
// ./linearity-worker.js) are the same.
import { build } from 'esbuild';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist/cli-bundle');
rmSync(outdir, { recursive: true, force: true });
const common = {
  absWorkingDir: root,
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};
// The worker scripts are whole files of their own: in the command's split build they would share its
// chunks in other combinations and cut them into many more, smaller ones.
const workers = await build({
  ...common,
  entryPoints: {
    'scan-worker': 'src/cli/scan-worker.ts',
    'linearity-worker': 'src/rules/linearity-worker.ts',
  },
});
const command = await build({
  ...common,
  entryPoints: { bin: 'src/bin.ts' },
  splitting: true,
  chunkNames: '[name]-[hash]',
});
const metafile = { outputs: { ...workers.metafile.outputs, ...command.metafile.outputs } };
// Which source modules each output holds: test/cli/startup.test.ts checks what a scan loads by them.
const modules = Object.fromEntries(
  Object.entries(metafile.outputs).map(([output, { inputs }]) => [
    output.slice('dist/cli-bundle/'.length),
    Object.keys(inputs).map((input) => input.replace(/^src\//, '').replace(/\.ts$/, '.js')),
  ]),
);
writeFileSync(join(root, 'dist/cli-bundle.modules.json'), `${JSON.stringify(modules, null, 1)}\n`);
const bin = join(root, 'dist/bin.js');
writeFileSync(bin, "#!/usr/bin/env node\nimport './cli-bundle/bin.js';\n");
chmodSync(bin, 0o755);

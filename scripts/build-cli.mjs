// Build step, after tsc: bundles the command line into one CommonJS script, dist/cli-bundle/cli.cjs,
// and its entry point dist/bin.cjs (src/launcher.ts), which runs the bundle with V8's code cache.
// Node 20 has no compile cache for modules: reading, compiling and linking ES modules cost a
// pre-commit scan about a fifth of its time (BENCHMARKS.md). A CommonJS script can be compiled
// through node:vm with cached code; ES modules cannot. Dynamic imports become lazily run functions
// (esbuild wraps them), so a scan still runs only what it uses. dist/bin.js stays for those who run
// it by path. The library (dist/index.js and its modules) stays as tsc emits it.
// The bundle sits one directory below dist/, as tsc's dist/cli/ and dist/rules/ do, so that the paths
// its modules resolve from import.meta.url (../rules.json, ../../package.json, ./scan-worker.js,
// ./linearity-worker.js) are the same.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapedPastAscii } from '../dist/rules/catalogue.js';

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
/**
 * Escapes what esbuild leaves past ASCII (comments and regex literals) as \uXXXX, the same code
 * unit in a comment, string or regex: Node reads a file with one such character as a two-byte
 * string, which costs the launcher about a millisecond more to read and V8 more to scan.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  if (/\\[\u0080-\uffff]/.test(text)) throw new Error(`${file}: a backslash before a character past ASCII`);
  writeFileSync(file, escapedPastAscii(text));
}
// The worker scripts are whole files of their own: in the command's split build they would share its
// chunks in other combinations and cut them into many more, smaller ones.
const workers = await build({
  ...common,
  entryPoints: {
    'scan-worker': 'src/cli/scan-worker.ts',
    'linearity-worker': 'src/rules/linearity-worker.ts',
  },
});
for (const name of ['scan-worker.js', 'linearity-worker.js']) asciiOnly(join(outdir, name));
// import.meta.url in a CommonJS script: the bundle's own URL, from the __filename the launcher gives it.
const commonjs = {
  format: 'cjs',
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__keyfence_url' },
  banner: { js: '"use strict";\nvar __keyfence_url = require("node:url").pathToFileURL(__filename).href;' },
};
const command = await build({
  ...common,
  ...commonjs,
  entryPoints: { cli: 'src/bin.ts' },
  outExtension: { '.js': '.cjs' },
});
asciiOnly(join(outdir, 'cli.cjs'));
// The launcher names its code cache after the bundle's content: V8 itself checks only the length.
const bundleId = createHash('sha256')
  .update(readFileSync(join(outdir, 'cli.cjs')))
  .digest('hex')
  .slice(0, 16);
const launcherPath = join(root, 'dist/bin.cjs');
await build({
  ...common,
  ...commonjs,
  outdir: undefined,
  metafile: false,
  outfile: launcherPath,
  entryPoints: ['src/launcher.ts'],
  define: { ...commonjs.define, KEYFENCE_BUNDLE_ID: JSON.stringify(bundleId) },
  banner: { js: `#!/usr/bin/env node\n${commonjs.banner.js}` },
});
chmodSync(launcherPath, 0o755);
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
writeFileSync(bin, "#!/usr/bin/env node\nimport './bin.cjs';\n");
chmodSync(bin, 0o755);

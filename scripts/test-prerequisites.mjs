// npm test's first step: checks what the test suite drives for real (Node.js, git, the pre-commit
// framework, util-linux's script) and installs the pre-commit framework when it is missing, as .ci/run does, so that the
// README's `npm ci && npm test` never fails for a missing tool. What it cannot provide is one line
// naming the prerequisite, and exit 1.
//
//   node scripts/test-prerequisites.mjs            # check, install pre-commit if needed
//   KEYFENCE_NO_INSTALL=1 node scripts/...         # check only
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where pip installs the pre-commit framework when neither PATH nor apt-get has it (test/helpers/pre-commit.ts). */
const VENV = join(ROOT, 'node_modules', '.cache', 'keyfence', 'pre-commit');
/** git features the scanner and the tests use: ls-files --deduplicate (2.31), init -b (2.28). */
const GIT_MINIMUM = [2, 31];

const fail = (message) => {
  console.error(`npm test: ${message}`);
  process.exit(1);
};
const note = (message) => console.error(`npm test: ${message}`);

const versionAtLeast = (version, minimum) => {
  for (const [index, need] of minimum.entries()) {
    const have = version[index] ?? 0;
    if (have !== need) return have > need;
  }
  return true;
};

const executable = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const onPath = (name) =>
  (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, name))
    .find(executable);

/** The pre-commit command the tests will use: on PATH, or in the venv an earlier run made. */
const preCommit = () =>
  onPath('pre-commit') ??
  (executable(join(VENV, 'bin', 'pre-commit')) ? join(VENV, 'bin', 'pre-commit') : undefined);

const run = (command, args) =>
  spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] }).status === 0;

const engines = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node;
const nodeMinimum = (/>=\s*(\d+(?:\.\d+)*)/.exec(engines)?.[1] ?? '0').split('.').map(Number);
if (!versionAtLeast(process.versions.node.split('.').map(Number), nodeMinimum))
  fail(`Node.js ${process.versions.node} is too old: keyfence needs ${engines} (README, Prerequisites)`);

const git = spawnSync('git', ['--version'], { encoding: 'utf8' });
if (git.error) fail('git is not installed or not on PATH: install git 2.31 or newer (README, Prerequisites)');
const gitVersion = /(\d+)\.(\d+)/.exec(git.stdout)?.slice(1).map(Number) ?? [0, 0];
if (!versionAtLeast(gitVersion, GIT_MINIMUM))
  fail(
    `${git.stdout.trim()} is too old: the tests need git ${GIT_MINIMUM.join('.')} or newer (README, Prerequisites)`,
  );

if (preCommit() === undefined && process.env.KEYFENCE_NO_INSTALL !== '1') {
  // As .ci/run: Debian's package where apt-get can install it (as root), else pip into a venv here.
  if (process.getuid?.() === 0 && onPath('apt-get')) {
    note('the pre-commit framework is missing: installing the Debian package pre-commit');
    // Without a package list (a fresh machine), install finds nothing: update it, then try again.
    if (!run('apt-get', ['install', '-y', '-qq', 'pre-commit']) && run('apt-get', ['update', '-qq']))
      run('apt-get', ['install', '-y', '-qq', 'pre-commit']);
  }
  if (preCommit() === undefined && onPath('python3')) {
    note(`the pre-commit framework is missing: installing it with pip into ${VENV}`);
    const pip = ['-m', 'pip', 'install', '-q', '--retries', '1', '--timeout', '20', 'pre-commit'];
    if (run('python3', ['-m', 'venv', VENV])) run(join(VENV, 'bin', 'python'), pip);
  }
}
const command = preCommit();
if (command === undefined)
  fail(
    'the pre-commit framework is not installed and could not be installed: install it (apt-get install pre-commit, or pipx install pre-commit), then run npm test again (README, Prerequisites)',
  );
const version = spawnSync(command, ['--version'], { encoding: 'utf8' });
if (version.status !== 0)
  fail(`${command} --version failed: reinstall the pre-commit framework (README, Prerequisites)`);
// The progress-line test runs keyfence on a real pseudo-terminal, which util-linux's script gives.
const script = spawnSync('script', ['--version'], { encoding: 'utf8' });
if (script.error || !script.stdout.includes('util-linux'))
  fail(
    'script from util-linux is not on PATH: the tests run keyfence on a pseudo-terminal with it (apt-get install bsdutils, or the util-linux package of your system) (README, Prerequisites)',
  );
note(`Node.js ${process.versions.node}, ${git.stdout.trim()}, ${version.stdout.trim()} (${command})`);

import { runAction } from './main.js';

process.exitCode = await runAction(process.env, {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: [],
  cwd: process.cwd(),
  env: process.env,
});

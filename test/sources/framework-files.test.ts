import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ALPHA, awsAccessKeyId, awsSecretKey, randomString } from '../helpers/tokens.js';
import { commit, git, makeGitRepo } from '../helpers/tree.js';

interface Report {
  findings: { ruleId: string; path: string; line: number; secret: string }[];
}

/** The findings of a scan with `args` in `cwd` as `rule path:line secret`, sorted. */
async function found(cwd: string, args: string[]): Promise<string[]> {
  const result = await runCli(['scan', ...args, '--format', 'json', '--no-redact', '--no-config'], { cwd });
  expect(result.stderr).toMatch(/^(?:warning: secrets are shown unredacted \(--no-redact\)\n)?$/);
  const report = JSON.parse(result.stdout) as Report;
  return report.findings.map((f) => `${f.ruleId} ${f.path}:${f.line} ${f.secret}`).sort();
}

const MASTER_KEY = randomString(ALPHA.hex, 32, 9101);
const FERNET_KEY = `${randomString(ALPHA.base64url, 43, 9102)}=`;
const S3_SECRET = awsSecretKey(9103);
const DRUPAL_SALT = randomString(ALPHA.base64url, 74, 9104);

/** A web and data project's files, each holding a key under the name or path its framework uses. */
const PROJECT = {
  'config/master.key': `${MASTER_KEY}\n`,
  'config/credentials.yml.enc': `${randomString(ALPHA.base64, 120, 9105)}--${randomString(ALPHA.base64, 16, 9106)}==\n`,
  'airflow/airflow.cfg': `[core]\nexecutor = CeleryExecutor\nfernet_key = ${FERNET_KEY}\n`,
  'spark/conf/spark-defaults.conf': `spark.master                     yarn\nspark.hadoop.fs.s3a.access.key   ${awsAccessKeyId(9107)}\nspark.hadoop.fs.s3a.secret.key   ${S3_SECRET}\n`,
  'web/sites/default/settings.php': `<?php\n$settings['hash_salt'] = '${DRUPAL_SALT}';\n`,
};

// The key id two lines up is reported with the secret key, as one finding that names both.
const EXPECTED = [
  `aws-secret-access-key spark/conf/spark-defaults.conf:3 ${S3_SECRET}`,
  `drupal-hash-salt web/sites/default/settings.php:2 ${DRUPAL_SALT}`,
  `fernet-key airflow/airflow.cfg:3 ${FERNET_KEY}`,
  `rails-master-key config/master.key:1 ${MASTER_KEY}`,
];

describe('keys that web and data frameworks keep under names and paths of their own', () => {
  it('reports each the same way in the index, the history and the working tree', async () => {
    const repo = makeGitRepo(PROJECT);
    git(repo, 'add', '.');
    expect(await found(repo, ['--staged'])).toEqual(EXPECTED);
    commit(repo, 'import the project');
    expect(await found(repo, ['--history'])).toEqual(EXPECTED);
    expect((await found(repo, ['.'])).map((line) => line.replace(`${repo}/`, ''))).toEqual(EXPECTED);
  });

  it('leaves a key file of another name, and a master.key that holds more than the key, to the other rules', async () => {
    const repo = makeGitRepo({
      'certs/app.key': `${MASTER_KEY}\n`,
      'config/master.key': `# rotated, see the runbook\n${MASTER_KEY}\n`,
      'config/credentials/production.key': '00000000000000000000000000000000\n',
    });
    git(repo, 'add', '.');
    expect(await found(repo, ['--staged'])).toEqual([]);
  });
});

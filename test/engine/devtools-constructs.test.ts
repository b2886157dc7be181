import { describe, expect, it } from 'vitest';
import {
  builtinRuleSet,
  missedConstructs,
  noisyLookAlikes,
  type ConstructCase,
  type LookAlikeCase,
} from '../helpers/catalogue.js';
import { ALPHA, randomString } from '../helpers/tokens.js';

// The tenth blind probe: files of developer tools, CI systems and dotfiles committed by mistake.
// Each case is one in-process scan of a file as the tool writes it.
const ruleSet = await builtinRuleSet();
const PASSWORD = `Rk4${randomString(ALPHA.alnum, 12, 1001)}`;
const TOKEN = randomString(ALPHA.alnum, 40, 1002);
const HEX_TOKEN = randomString(ALPHA.hex, 40, 1003);
/** A random password that happens to start with `XX`, as one in a thousand do. */
const XX_PASSWORD = `XX${randomString(ALPHA.alnum, 16, 1004)}`;
const UUID_TOKEN = [8, 4, 4, 4, 12].map((length, at) => randomString(ALPHA.hex, length, 1010 + at)).join('-');
const SVN_PATH = `home/.subversion/auth/svn.simple/${randomString(ALPHA.hex, 32, 1005)}`;

/** [construct, path, content, rule, secret] */
const POSITIVES: ConstructCase[] = [
  [
    "Subversion's cached password (svn.simple)",
    SVN_PATH,
    `K 8\npasstype\nV 6\nsimple\nK 8\npassword\nV ${PASSWORD.length}\n${PASSWORD}\nK 15\nsvn:realmstring\nV 41\n<https://svn.acme.io:443> Subversion Repo\nK 8\nusername\nV 6\ndeploy\nEND\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    "Composer's bearer token for a private repository",
    'auth.json',
    `{\n    "github-oauth": {},\n    "bearer": {\n        "repo.acme.io": "${HEX_TOKEN}"\n    }\n}\n`,
    'generic-secret',
    HEX_TOKEN,
  ],
  [
    "a Postman collection's API-key auth, the key's entry first",
    'postman/api.postman_collection.json',
    `{\n\t"auth": {\n\t\t"type": "apikey",\n\t\t"apikey": [\n\t\t\t{\n\t\t\t\t"key": "value",\n\t\t\t\t"value": "${TOKEN}",\n\t\t\t\t"type": "string"\n\t\t\t},\n\t\t\t{\n\t\t\t\t"key": "key",\n\t\t\t\t"value": "X-API-Key",\n\t\t\t\t"type": "string"\n\t\t\t}\n\t\t]\n\t}\n}\n`,
    'generic-secret',
    TOKEN,
  ],
  [
    "a Postman collection's API-key auth, the header's entry first",
    'api.postman_collection.json',
    `{"auth": {"type": "apikey", "apikey": [{"key": "key", "value": "X-API-Key", "type": "string"}, {"key": "value", "value": "${TOKEN}", "type": "string"}]}}\n`,
    'generic-secret',
    TOKEN,
  ],
  [
    "psql's \\setenv PGPASSWORD in .psqlrc",
    'home/.psqlrc',
    `\\set QUIET 1\n\\setenv PGPASSWORD '${PASSWORD}'\n\\set QUIET 0\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    "mongosh's history: db.auth(user, password)",
    `home/.mongodb/mongosh/${randomString(ALPHA.hex, 24, 1006)}_mongosh_repl_history`,
    `show dbs\ndb.getSiblingDB("admin").auth("admin", "${PASSWORD}")\nuse app\n`,
    'password-argument',
    PASSWORD,
  ],
  [
    "Codecov's token under codecov: in codecov.yml",
    'codecov.yml',
    `codecov:\n  require_ci_to_pass: yes\n  token: ${UUID_TOKEN}\ncoverage:\n  precision: 2\n`,
    'codecov-token',
    UUID_TOKEN,
  ],
  [
    "Codecov's token given to codecov-action in a workflow",
    '.github/workflows/ci.yml',
    `jobs:\n  test:\n    steps:\n      - uses: codecov/codecov-action@v4\n        with:\n          files: coverage.xml\n          token: ${UUID_TOKEN}\n`,
    'codecov-token',
    UUID_TOKEN,
  ],
  [
    "the Snyk CLI's stored token",
    'home/.config/configstore/snyk.json',
    `{\n  "api": "${UUID_TOKEN}",\n  "disableSuggestions": "true"\n}\n`,
    'snyk-token',
    UUID_TOKEN,
  ],
  [
    "a GitLab CI variable's prefilled value",
    '.gitlab-ci.yml',
    `variables:\n  DEPLOY_ENV:\n    value: staging\n    options: [staging, production]\n  DB_PASSWORD:\n    description: "for the smoke tests"\n    value: "${PASSWORD}"\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    "a Jenkins pipeline's password parameter default",
    'Jenkinsfile',
    `pipeline {\n  parameters {\n    string(name: 'BRANCH', defaultValue: 'main')\n    password(name: 'DB_PASSWORD', description: 'db', defaultValue: '${PASSWORD}')\n  }\n}\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    "a workflow_dispatch input's default",
    '.github/workflows/deploy.yml',
    `on:\n  workflow_dispatch:\n    inputs:\n      api_token:\n        description: token\n        required: false\n        default: ${TOKEN}\n`,
    'generic-secret',
    TOKEN,
  ],
  [
    "a CircleCI command parameter's default",
    '.circleci/config.yml',
    `version: 2.1\ncommands:\n  deploy:\n    parameters:\n      api_token:\n        type: string\n        default: "${TOKEN}"\n`,
    'generic-secret',
    TOKEN,
  ],
  [
    'a random password that starts with XX',
    'deploy/vars.yml',
    `db_password: ${XX_PASSWORD}\n`,
    'generic-password',
    XX_PASSWORD,
  ],
];

/** [look-alike, path, content] */
const NEGATIVES: LookAlikeCase[] = [
  [
    "a git URL whose password is a pipeline's variable",
    'bitbucket-pipelines.yml',
    'pipelines:\n  default:\n    - step:\n        script:\n          - git push https://x-token-auth:$BITBUCKET_ACCESS_TOKEN@bitbucket.org/acme/app.git\n',
  ],
  [
    'Subversion credentials kept in the keyring (no password entry)',
    SVN_PATH,
    'K 8\npasstype\nV 13\ngnome-keyring\nK 15\nsvn:realmstring\nV 41\n<https://svn.acme.io:443> Subversion Repo\nK 8\nusername\nV 6\ndeploy\nEND\n',
  ],
  [
    "Composer's bearer token from the environment",
    'auth.json',
    '{\n    "bearer": {\n        "repo.acme.io": "${COMPOSER_BEARER}"\n    }\n}\n',
  ],
  [
    "a Postman collection's API key as a variable",
    'api.postman_collection.json',
    '{"auth": {"type": "apikey", "apikey": [{"key": "value", "value": "{{apiKey}}", "type": "string"}, {"key": "key", "value": "X-API-Key", "type": "string"}]}}\n',
  ],
  [
    '.psqlrc settings without a password',
    'home/.psqlrc',
    "\\setenv PAGER 'less -S'\n\\setenv PGPASSWORD $DB_PASSWORD\n\\set HISTSIZE 2000\n",
  ],
  [
    "mongosh's password prompt",
    'home/.mongodb/mongosh/mongosh_repl_history',
    'db.auth("admin", passwordPrompt())\ndb.getSiblingDB("admin").auth(user, pwd)\n',
  ],
  [
    "codecov-action's token from the secrets, and another step's token",
    '.github/workflows/ci.yml',
    `jobs:\n  test:\n    steps:\n      - uses: codecov/codecov-action@v4\n        with:\n          token: \${{ secrets.CODECOV_TOKEN }}\n      - uses: acme/notify@v1\n        with:\n          token: ${UUID_TOKEN}\n`,
  ],
  [
    'another tool\'s "api" setting',
    'home/.config/configstore/update-notifier-npm.json',
    `{"api": "${UUID_TOKEN}"}\n`,
  ],
  [
    'CI variables, parameters and inputs given from the CI',
    '.gitlab-ci.yml',
    'variables:\n  DB_PASSWORD:\n    value: $VAULT_DB_PASSWORD\n    description: db\n  API_TOKEN:\n    value: ""\n',
  ],
  [
    "a Jenkins password parameter without a default's value",
    'Jenkinsfile',
    "parameters {\n  password(name: 'DB_PASSWORD', defaultValue: '', description: 'db')\n  string(name: 'API_TOKEN', defaultValue: 'changeme')\n}\n",
  ],
  [
    'a CircleCI parameter whose default is an environment variable',
    '.circleci/config.yml',
    'commands:\n  deploy:\n    parameters:\n      api_token:\n        type: env_var_name\n        default: ACME_API_TOKEN\n',
  ],
  [
    'placeholders of x',
    'deploy/vars.yml',
    'db_password: xxxxxxxxxxxx\napi_token: XX-XXXX-XXXX-XXXX\nsecret_key: xx_your_secret_key_xx\n',
  ],
];

describe('developer tool files (blind probe 10)', () => {
  it('finds the secret each tool writes into its files', () => {
    expect(missedConstructs(ruleSet, POSITIVES)).toEqual([]);
  });

  it('stays quiet on references, keyrings and placeholders in the same files', () => {
    expect(noisyLookAlikes(ruleSet, NEGATIVES)).toEqual([]);
  });
});

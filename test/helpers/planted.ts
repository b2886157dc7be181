import {
  ALPHA,
  awsAccessKeyId,
  awsSecretKey,
  gcpServiceAccountJson,
  githubToken,
  googleApiKey,
  randomString,
  rsaPrivateKey,
  stripeKey,
} from './tokens.js';
import type { Tree } from './tree.js';

/** A secret planted in a project, and the rule that must report it. */
export interface Planted {
  ruleId: string;
  path: string;
  secret: string;
  /** The text the reported location spans, when it starts before the secret (a key block is reported from its BEGIN line). */
  region?: string;
}

/** A small project with the credentials the scanner-core acceptance list names. */
export function plantedProject(seed = 1): { files: Tree; planted: Planted[] } {
  const keyId = awsAccessKeyId(seed);
  const secretKey = awsSecretKey(seed + 1);
  const pat = githubToken('ghp', seed + 2);
  const stripe = stripeKey('sk_live', seed + 3);
  const google = googleApiKey(seed + 4);
  const gcp = gcpServiceAccountJson(seed + 5);
  const rsa = rsaPrivateKey(seed + 6);
  const clientSecret = randomString(ALPHA.alnum, 32, seed + 7);
  const files: Tree = {
    '.aws/credentials': `[default]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${secretKey}\n`,
    '.github/release.sh': `#!/bin/sh\nexport GITHUB_TOKEN=${pat}\ngh release create "$1"\n`,
    'billing/settings.js': `module.exports = {\n  stripeKey: "${stripe}",\n};\n`,
    'web/maps.html': `<script src="https://maps.googleapis.com/maps/api/js?key=${google}"></script>\n`,
    'deploy/service-account.json': `${gcp.json}\n`,
    'deploy/id_rsa': `${rsa}\n`,
    'auth/oauth.py': `import requests\n\nclient_id = "web-app"\nclient_secret = "${clientSecret}"\n`,
  };
  const planted: Planted[] = [
    // The key id sits next to its secret: one paired finding, at the secret (see rule `pair`).
    { ruleId: 'aws-secret-access-key', path: '.aws/credentials', secret: secretKey },
    { ruleId: 'github-pat', path: '.github/release.sh', secret: pat },
    { ruleId: 'stripe-secret-key', path: 'billing/settings.js', secret: stripe },
    { ruleId: 'google-api-key', path: 'web/maps.html', secret: google },
    { ruleId: 'gcp-service-account-key', path: 'deploy/service-account.json', secret: gcp.privateKey },
    {
      ruleId: 'private-key-rsa',
      path: 'deploy/id_rsa',
      secret: rsa.split('\n').slice(1, -1).join('\n'),
      region: rsa.split('\n').slice(0, -1).join('\n'),
    },
    { ruleId: 'oauth-client-secret', path: 'auth/oauth.py', secret: clientSecret },
  ];
  return { files, planted };
}

/** The same project with every value replaced by a placeholder or a reference. */
export function placeholderProject(): Tree {
  return {
    '.aws/credentials':
      '[default]\naws_access_key_id = AKIAXXXXXXXXXXXXXXXX\naws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}\n',
    '.github/release.sh':
      '#!/bin/sh\nexport GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\ngh release create "$1"\n',
    'billing/settings.js': 'module.exports = {\n  stripeKey: "${STRIPE_KEY}",\n};\n',
    'web/maps.html': '<script src="https://maps.googleapis.com/maps/api/js?key=YOUR_API_KEY"></script>\n',
    'deploy/service-account.json':
      '{\n  "type": "service_account",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n"\n}\n',
    'deploy/id_rsa':
      '-----BEGIN RSA PRIVATE KEY-----\n<paste your key here>\n-----END RSA PRIVATE KEY-----\n',
    'auth/oauth.py':
      'import os\n\nclient_id = "web-app"\nclient_secret = os.getenv("CLIENT_SECRET")\nother_secret = "your-client-secret"\n',
  };
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
export function positionOf(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`not found: ${needle.slice(0, 12)}`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

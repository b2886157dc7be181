/**
 * Files whose purpose is to hold secrets or settings: an `.env` file, Terraform variables, a
 * credentials file. For a secret in one of them, "read it from an environment variable in the
 * code" is no advice (the file is where the environment comes from): the file itself must stay
 * out of git. An example file made to be committed (`.env.example`) needs a placeholder instead.
 */
export type FileKind = 'environment' | 'example' | 'terraform' | 'credentials';

/** Suffixes and prefixes that make a file an example to copy (`.env.example`, `example.tfvars`). */
const EXAMPLE_SUFFIX = /\.(?:example|sample|template|dist|tpl|defaults?)$/;
const EXAMPLE_PREFIX = /^(?:example|sample|template)[._-]/;

const ENVIRONMENT = /^(?:\.env(?:\..+)?|.+\.env|\.envrc)$/;
/** Source files named like one (`.env.ts` loading the environment) are code. */
const CODE = /\.(?:[cm]?[jt]sx?|py|rb|go|java|kt|php|cs|rs|sh)$/;
const TERRAFORM = /\.tfvars(?:\.json)?$/;
/** Credentials files by name, and by directory and name (`.aws/credentials`, `.kube/config`). */
const CREDENTIALS =
  /^(?:credentials(?:\.json)?|\.netrc|_netrc|\.pgpass|\.git-credentials|\.dockercfg|\.pypirc|kubeconfig|.+\.kubeconfig)$/;
const CREDENTIALS_PATH = /(?:^|\/)(?:\.docker\/config\.json|\.kube\/config)$/;

/** The kind of a file that holds secrets or settings by purpose, from its path; undefined for other files. */
export function fileKind(path: string): FileKind | undefined {
  const normal = path.replace(/\\/g, '/').toLowerCase();
  const name = normal.slice(normal.lastIndexOf('/') + 1);
  const purpose = (base: string): FileKind | undefined => {
    if (ENVIRONMENT.test(base) && !CODE.test(base)) return 'environment';
    if (TERRAFORM.test(base)) return 'terraform';
    if (CREDENTIALS.test(base)) return 'credentials';
    return undefined;
  };
  const own = purpose(name) ?? (CREDENTIALS_PATH.test(normal) ? 'credentials' : undefined);
  const unsuffixed = name.replace(EXAMPLE_SUFFIX, '');
  if (unsuffixed !== name && purpose(unsuffixed) !== undefined) return 'example';
  return own !== undefined && EXAMPLE_PREFIX.test(name) ? 'example' : own;
}

const ADVICE: Record<FileKind, (path: string) => string> = {
  environment: (path) =>
    `an environment file stays out of git: add ${path} to .gitignore (git rm --cached ${path} if it is tracked), commit a .env.example with placeholder values instead, and give CI and servers the real values through the platform's secret store (GitHub Actions secrets, your host's environment settings).`,
  example: (path) =>
    `${path} is an example that is committed for others to copy: replace the value with a placeholder; real values belong in an untracked copy or the platform's secret store.`,
  terraform: (path) =>
    `a Terraform variable file with secrets stays out of git: add it to .gitignore (git rm --cached ${path} if it is tracked), commit an example with placeholder values, and pass secrets as TF_VAR_ environment variables from the CI's secret store, or read them from a secret manager.`,
  credentials: (path) =>
    `a credentials file belongs in a home directory or the CI's secret store, not in a repository: git rm --cached ${path}, add it to .gitignore, and have CI write it from a secret when the job runs.`,
};

/** What to do about a secret in this file, when the file's purpose decides it (see FileKind). */
export function fileAdvice(path: string): string | undefined {
  // An entry of an archive (`backup.zip!.env`): the archive is what is committed.
  const bang = path.indexOf('!');
  if (bang > 0) {
    const archive = path.slice(0, bang);
    return `the secret is inside the archive ${archive}, which should not be in the repository: git rm --cached ${archive}, add it to .gitignore, and keep build outputs and backups in an artifact store.`;
  }
  const kind = fileKind(path);
  return kind === undefined ? undefined : ADVICE[kind](path);
}

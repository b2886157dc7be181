import { isDictionaryPlaceholder, isInterleavedRun, isPeriodic, isSequence, sequenceRuns } from './placeholders.js';
import { LINE_BEFORE_LIMIT, type Filter, type MatchContext } from './types.js';

const PLACEHOLDER_WORDS =
  /example|placeholder|changeme|change[_-]me|redacted|replace[_-]?(?:me|with|this)|insert[_-]?(?:your|here)|notreal|not[_ -]a[_ -]real|_here$|-here$|goes[_-]?here|^your|[_-]your[_-]|^my[_-]?(?:api|secret|token|password|key|pass)|^<|>$|^&lt;|&gt;?$|^\[|\]$|^xx(?:x|[^a-z0-9]|$)|xxxx|\*\*\*|•••|\.\.\.|…|^n\/?a$|^\*sensitive\*data\*deleted\*$/i;
/**
 * Short placeholder words that random text holds by chance (`qk7ToDo9Lx`, `mRtodoz83`, `Contest2024!`):
 * they count only where they stand as a word of the value (see standsAsWord).
 */
const SHORT_PLACEHOLDER_WORDS = /todo|fixme|sample|dummy|lorem|ipsum|foobar|fake|mock|testing|test/gi;

const isLower = (code: number): boolean => code >= 97 && code <= 122;
const isUpper = (code: number): boolean => code >= 65 && code <= 90;
const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const isAlnum = (code: number): boolean => isLower(code) || isUpper(code) || isDigit(code);

/** Whether the digits at `at` (stepping by `step`) run to an end of the text or to a separator. */
function digitsEnd(text: string, at: number, step: 1 | -1): boolean {
  let index = at;
  while (index >= 0 && index < text.length && isDigit(text.charCodeAt(index))) index += step;
  return index < 0 || index >= text.length || !isAlnum(text.charCodeAt(index));
}

/**
 * Whether text[start, end) is a word of the value, not letters inside random text: on each side the
 * value ends, a separator (`_`, `-`, `.`, space, `<`, `{`…), a camelCase boundary (`yourTestKey`,
 * `sampleToken`), or digits that run to the end or a separator (`test123`, `2024-todo`).
 */
function standsAsWord(text: string, start: number, end: number): boolean {
  const before = start === 0 ? -1 : text.charCodeAt(start - 1);
  const first = text.charCodeAt(start);
  const startsWord =
    before === -1 ||
    !isAlnum(before) ||
    (isLower(before) && isUpper(first)) ||
    (isDigit(before) && digitsEnd(text, start - 1, -1));
  if (!startsWord) return false;
  if (end === text.length) return true;
  const after = text.charCodeAt(end);
  return (
    !isAlnum(after) ||
    (isUpper(after) && isLower(text.charCodeAt(end - 1))) ||
    (isDigit(after) && digitsEnd(text, end, 1))
  );
}

/** A short placeholder word standing as a word in the value (`TODO`, `todo_change_me`, `your-test-key`, `<todo>`). */
function hasPlaceholderWord(secret: string): boolean {
  for (const match of secret.matchAll(SHORT_PLACEHOLDER_WORDS)) {
    if (standsAsWord(secret, match.index, match.index + match[0].length)) return true;
  }
  return false;
}
export const WEAK_VALUES = new Set([
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'api_key',
  'admin',
  'root',
  'pass',
  'null',
  'nil',
  'none',
  'true',
  'false',
  'undefined',
  'empty',
  'default',
  'string',
  // The other names `typeof` returns (`typeof password === 'object'`).
  'object',
  'function',
  'number',
  'boolean',
  'symbol',
  'bigint',
  // GitHub's documented password for a token given as the user name of a clone URL.
  'x-oauth-basic',
  'required',
  'optional',
  'unknown',
  'hidden',
  'masked',
  'private',
  'public',
  'value',
  'postgres',
  'mysql',
  'mariadb',
  'mongo',
  'mongodb',
  'redis',
  'rabbitmq',
  'guest',
  'sa',
  'user',
  'qwerty',
  'letmein',
  'swordfish',
  'welcome',
  '123456',
  '1234567',
  'password1',
  'password123',
  'admin123',
  'secret123',
]);

/** Values that name what they stand for (`mynewpassword`, `bandpass`, `secret\n`) or are dates, colour names or anchors. */
const DESCRIPTIVE = /pass|secret|geheim|parole|^#[A-Za-z]+$|^\d{4}-\d{2}-\d{2}(?:[T ]|$)/i;
/**
 * Digits and a symbol besides the word, and nothing that joins parts of a name, URL, query or pattern:
 * a password someone made up around it (`Spr1ng-Db!Pass-42`, `Summer2024Pass!`), not a name
 * (`client_secret_2`, `oauth2client:secrets#ns`, `secret%3Dpassword&x=1`).
 */
const MADE_UP = /^(?=.*\d)(?=.*[!#$*+@^~])[^\s:/%()<>[\]{}=&.,;'"\\]+$/;

/**
 * A hashing scheme, the value of settings such as `password_encryption` (`scram-sha-256`), or an
 * authentication mechanism's name (`authMechanism: 'MONGODB-X509'`, X11's `MIT-MAGIC-COOKIE-1`).
 */
const ALGORITHM =
  /^(?:scram-)?sha-?(?:1|224|256|384|512)$|^mongodb-(?:x509|cr|aws|oidc)$|^mit-magic-cookie-1$|^(?:md5|bcrypt|scrypt|argon2(?:id|i|d)?|pbkdf2(?:[-_]sha-?\d{3})?)$|^aws4-(?:hmac-sha256|ecdsa-p256-sha256)$/i;

/** A version number (`1.302191`, `v2.4.0-rc.1`), under a name such as `Test2::Event::Pass`. */
const VERSION = /^v?\d{1,4}(?:\.\d{1,9}){1,3}(?:[-+][\w.]{1,20})?$/;
/** A decimal number (`0.2585919282`, `-3.14e-7`): a weight, a rate or a coordinate, under a name such as `token`. */
const DECIMAL = /^-?\d{1,20}\.\d{1,40}(?:e[-+]?\d{1,3})?$/i;

/**
 * The text a base64 value decodes to, when it is canonical base64 of printable ASCII: what a
 * Kubernetes Secret's `data:` or a docker config's `auth` holds (`Y2hhbmdlbWU=` is `changeme`).
 * Random base64 rarely decodes to printable text.
 */
function base64Text(secret: string): string | undefined {
  if (secret.length < 8 || secret.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(secret)) return undefined;
  const bytes = Buffer.from(secret, 'base64');
  if (bytes.toString('base64') !== secret) return undefined;
  const text = bytes.toString('latin1');
  return /^[\x20-\x7e]{4,}$/.test(text) ? text : undefined;
}

/**
 * Values that stand in for a secret: `xxx`, `changeme`, `your_api_key_here`, `<token>`, `TODO`,
 * `***`, and default or dictionary passwords however they are spelt (`P@ssw0rd!`, `s3cr3t123`).
 */
export const notPlaceholder: Filter = (secret) => !isPlaceholder(secret);

function isPlaceholder(secret: string): boolean {
  if (WEAK_VALUES.has(secret.toLowerCase())) return true;
  if (VERSION.test(secret) || DECIMAL.test(secret) || ALGORITHM.test(secret)) return true;
  // A placeholder in base64: `bm90IGEgcGFzc3dvcmQ=` ("not a password"), `Q0hBTkdFTUU=` (CHANGEME).
  const decoded = base64Text(secret);
  if (decoded !== undefined && isPlaceholder(decoded)) return true;
  if (PLACEHOLDER_WORDS.test(secret) || (DESCRIPTIVE.test(secret) && !MADE_UP.test(secret))) return true;
  return hasPlaceholderWord(secret) || isDictionaryPlaceholder(secret);
}

const REFERENCE =
  /:\$[A-Z_][A-Z0-9_]{2,}$|^%[\w.]+%$|^%\(?\w*\)?[sd]$|\{\{|\}\}|#\{|\$\{|process\.env|import\.meta\.env|os\.getenv|os\.environ|getenv\s*\(|System\.getenv|Environment\.GetEnvironmentVariable|ENV\[|ENV\.fetch|Deno\.env|secrets\.|^(?:var|local|data|module|vars|env|self|this|config|settings|params|args|props|options|opts|ctx|context)\.[\w.[\]'"]+$/;
/** A call (`getToken("app")`, `Vault.read(path)`), or its start where the value was cut at a quote (`getenv(`). */
const CALL = /^[A-Za-z_$][\w$.:]*(?:<[\w<>, ]*>)?\((?:[^()]*(?:\([^()]*\)[^()]*)*\))?$/;

/**
 * Code expressions (`a===!0`, `x||y`, `a?.b`, `Jobs[-1].JobId`, chained `n.a=n.b=void`), format
 * templates made of placeholders alone (`{name}`, `{prefix}-{token}`, `{}:{}`) and AWS ARNs.
 */
const EXPRESSION = /===|!==|\|\||&&|=>|\?\.|\[-?\d+\]|(?<![\w$])[A-Za-z_$][\w$]{0,40}\.[A-Za-z_$][\w$]{0,40}=[A-Za-z_$]|^(?:\{[\w.()]*\}[^\w{}\s]{0,3})+$|^arn:[a-z-]+:/;

/**
 * A leading `$` that expands something: `${VAR}`, `$(cmd)`, `$DB_PASSWORD`, `$db_pass`, `$dbPassword`,
 * `$this->password`, `$config['key']`, `$env:API_KEY`, `$TOKEN@host/path`. A password may start with `$` too (`$Vb7nM3q…`): random case
 * and digits after it are no variable name.
 */
function isDollarReference(secret: string): boolean {
  if (!secret.startsWith('$')) return false;
  const rest = secret.slice(1);
  return (
    /^(?:[{(]|[A-Z_][A-Z0-9_]*$|[a-z_][a-z0-9_]*$|[A-Za-z_]\w*(?:->|::|\.|\[|\())/.test(rest) ||
    // A URL's password given as a variable, the rest of the URL cut with it: `https://x-token-auth:$BB_TOKEN@bitbucket.org/…`.
    /^(?:[A-Z_][A-Z0-9_]*|[a-z_][a-z0-9_]*)@[\w-]+(?:\.[\w-]+)+(?:[:/]\S*)?$/.test(rest) ||
    isCamelCase(rest) ||
    // PowerShell's drives and scopes: `$env:GH_TOKEN`, `$Env:ApiKey`, `$script:token`.
    /^(?:env|global|script|local|private|using|variable):[A-Za-z_][\w.-]*$/i.test(rest)
  );
}

/**
 * Where a secret is kept rather than the secret: bind parameters (`:password`, `@password`), Azure
 * Key Vault references, and secret-store URIs of vals, sops and the cloud secret managers.
 */
const STORE_REFERENCE =
  /^[:@][A-Za-z_]\w*$|^@Microsoft\.KeyVault\(|^(?:ref\+\w+|vault|awssm|awsssm|gcpsm|azkv|sops|ssm|secretsmanager|keyvault):/;

/**
 * A regular expression's source (`(?=\^?[%s]|[%s%s])`, `(?P<name>…)`) or a printf template with two
 * or more fields, or one after a word (`relationship:%s`).
 */
const PATTERN_SOURCE = /^:?\(\?(?:[=!:]|<[=!]|P?<[A-Za-z_]\w*>)|%[sd][^%]*%[sd]|\.[*+]\)?$|^[A-Za-z_]+[:/._-]%[sd]$/;

/**
 * Names and lists rather than values: a path template (`users/{userKey}/tokens`), a query string
 * (`&authMechanism=…`), a keyword argument's name (`action=`), a list of choices (`true|false`) or
 * of validation rules (Laravel's `required|string|min:12|confirmed`),
 * a package with its version (`google-auth-library-credentials:1.3.0`), a host name, an IPv4
 * address with its port (`127.0.0.1:1081`), an object identifier (`1.2.840.113549.1.9.7`, PKCS #9's
 * challengePassword), an HTTP header's name (`X-aws-ec2-metadata-token-ttl-seconds`) and a Rails
 * route's controller and action (`active_storage/disk#update`, `sessions#create`), a Django
 * migration's name (`0012_alter_user_first_name_max_length`) and a Python entry point
 * (`keystoneauth1.loading._plugins.identity.v3:Token`).
 */
const NOT_A_VALUE =
  /\/\{\w+\}|\{\w+\}\/|^&\w+=|^[a-z_]+=$|^\w+(?:\|\w+)+$|^[a-z_]+(?::[\w,.-]{1,60})?(?:\|[a-z_]+(?::[\w,.-]{1,60})?)+$|^[\w.-]+:\d+(?:\.\d+){1,3}$|^(?:[a-z0-9-]+\.)+(?:com|net|org|io|dev|app|cloud|gov|edu)$|^(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?$|^[0-2]\.\d{1,2}(?:\.\d{1,9}){2,}$|^X-[A-Za-z][a-z0-9]*(?:-[A-Za-z][a-z0-9]*)+$|^[a-z_]+(?:\/[a-z_]+)+#[a-z_]+$|^[a-z_]+#(?:index|show|new|create|edit|update|destroy)$|^\d{4}_[a-z0-9]+(?:_[a-z0-9]+)*$|^[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+:[A-Za-z_]\w*$/;

/**
 * A value cut from a concatenation at its quotes: `"Token: "+fmt.Sprintf(` (generated Go), PHP's
 * `'KEY='.base64_encode($data).`, `ctx.credValues.AccessKeyID+"/"`. A secret has no operator at an end.
 */
const CONCATENATION =
  /^[+.][A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\((?:[^()]*\)[+.]?)?$|^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+\+$/;

/** A Vim script variable (`s:netrw_hup`, `a:dict.istemp`, `g:token`): scope letter, colon, name. */
const VIM_VARIABLE = /^[abglstvw]:[A-Za-z_][\w.#]*(?:\[|\(|$)/;
const isVimScript = (path: string): boolean => /(?:\.vim|(?:^|\/)[._]?g?vimrc)$/.test(path);

/** Values that name where the secret comes from instead of holding it: `${VAR}`, `os.getenv(...)`, calls, expressions. */
export const notReference: Filter = (secret, context) =>
  !(VIM_VARIABLE.test(secret) && isVimScript(context.path)) &&
  !REFERENCE.test(secret) &&
  !PATTERN_SOURCE.test(secret) &&
  !NOT_A_VALUE.test(secret) &&
  !CONCATENATION.test(secret) &&
  !isDollarReference(secret) &&
  !STORE_REFERENCE.test(secret) &&
  !CALL.test(secret) &&
  !EXPRESSION.test(secret);

/**
 * Password hashes, which a password field may hold instead of the password: crypt(3) (`$2y$…`,
 * `$6$…`, `$argon2id$…`), PostgreSQL (`md5` + 32 hex digits, `SCRAM-SHA-256$…`), MySQL (`*` + 40 hex
 * digits), LDAP (`{SSHA}…`), Django (`pbkdf2_sha256$…`), and the user_pass of a WordPress or phpBB
 * users table: phpass's portable hash (`$P$` or `$H$`, a cost character and 30 more of its
 * alphabet) and WordPress 6.8's bcrypt behind `$wp` (`$wp$2y$10$…`).
 */
const PASSWORD_HASH =
  /^\$(?:\d[a-z]?|argon2(?:id|i|d)|scrypt|pbkdf2(?:-sha\d+)?|apr1|sha\d+|y|gy|7)\$|^md5[0-9a-f]{32}$|^SCRAM-SHA-256\$|^\*[0-9A-F]{40}$|^\{(?:S?SHA\d*|S?MD5|CRYPT|PBKDF2[\w-]*|ARGON2)\}|^(?:pbkdf2_sha\d+|bcrypt(?:_sha256)?|argon2|sha1|md5|scrypt)\$|^\$[PH]\$[./0-9A-Za-z]{31}$|^\$wp\$2[aby]\$/i;

/**
 * A password Maven's settings-security.xml master password encrypts: base64 in braces
 * (`{COQLCE6DU6GtcS5P=}`), which `mvn --encrypt-password` writes instead of the password.
 */
const MAVEN_ENCRYPTED = /^\{[A-Za-z0-9+/]{8,}={0,2}\}$/;

/**
 * A value dotenvx encrypted in a committed `.env` (`OPENAI_API_KEY="encrypted:BD…"`): base64 of the
 * ciphertext, which only the private key in `.env.keys` (or `DOTENV_PRIVATE_KEY`) opens.
 */
const DOTENVX_ENCRYPTED = /^encrypted:[A-Za-z0-9+/]{40,}={0,2}$/;

/**
 * A value Spring Cloud Config's server encrypted (`password: '{cipher}6f1a…'`): hex from its
 * symmetric key, base64 from an RSA key, optionally naming the key (`{cipher}{key:prod}…`). The
 * config server decrypts it for its clients; the key stays on the server.
 */
const SPRING_CIPHER = /^\{cipher\}(?:\{[\w-]{1,40}:[\w.-]{1,100}\})*[A-Za-z0-9+/]{16,}={0,2}$/;

/**
 * Password hashes (and Maven's, dotenvx's and Spring Cloud Config's encrypted values) in a password
 * field are not the password (though they should not be public either).
 */
export const notHash: Filter = (secret) =>
  !PASSWORD_HASH.test(secret) &&
  !MAVEN_ENCRYPTED.test(secret) &&
  !DOTENVX_ENCRYPTED.test(secret) &&
  !SPRING_CIPHER.test(secret);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** UUIDs are identifiers far more often than secrets when assigned to a generic name. */
export const notUuid: Filter = (secret) => !UUID.test(secret);

/** Subresource-integrity and lockfile hash values. */
export const notIntegrity: Filter = (secret) => !/^(?:sha1|sha256|sha384|sha512|md5)[-:=]/i.test(secret);

/** A release file's name: `package_name-0.1.2.tar.gz`, `app-1.4.0-py3-none-any.whl` (three linear tests). */
/** A file name with the extension of source, object or build files (`git-credential-wincred.exe` in a Makefile rule). */
const BUILD_FILE =
  /^[\w-]+(?:\.[\w-]+)*\.(?:c|h|cc|cpp|cxx|hpp|o|obj|a|so|dylib|dll|exe|lib|js|mjs|cjs|ts|py|rb|go|rs|java|class|cs|sh|bat|ps1)$/;

const isPackageFile = (secret: string): boolean =>
  // After an HTML attribute's end (`href="…">package-1.0.tar.gz`) too.
  /\.(?:tar\.gz|tar\.bz2|tar\.xz|tgz|zip|whl|egg|jar|war|gem|nupkg|deb|rpm)$/.test(secret) &&
  /[-_]\d+\.\d+/.test(secret) &&
  /^(?:["']?>)?[\w.+-]+$/.test(secret);

/**
 * Standard base64 that starts with `/`, as one random key in 64 does: whole groups of four, and
 * padded, or holding a `+` among capitals and digits, which paths do not (`/iGevMoyAy//LTEy…5x6=`,
 * not `/var/lib/app` or `/usr/include/c++`).
 */
const isSlashedBase64 = (secret: string): boolean =>
  secret.length % 4 === 0 &&
  /^\/[A-Za-z0-9+/]{15,}={0,2}$/.test(secret) &&
  (secret.endsWith('=') || (secret.includes('+') && /[A-Z]/.test(secret) && /\d/.test(secret)));

/**
 * File-system paths: absolute, relative, home-relative, Windows drive paths, or slash-separated
 * lowercase words; and a host name with a path but no scheme (`www.acme.io/login`).
 */
export const notPath: Filter = (secret) =>
  (!/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\|\\\\)/.test(secret) || isSlashedBase64(secret)) &&
  // An id and the file it names: systemd's `LoadCredential=api-token:/etc/app/token`, volume mounts.
  !/^[\w.-]{1,64}:\/[\w./-]{1,4096}$/.test(secret) &&
  !isPackageFile(secret) &&
  !BUILD_FILE.test(secret) &&
  !/^(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d{1,5})?\/\S*$/.test(secret) &&
  !/^[\w.-]+(?:[/\\][\w.-]+)*[/\\][\w-]+\.[A-Za-z0-9]{1,6}$/.test(secret) &&
  !/^[a-z0-9_.-]+(?:\/[a-z0-9_.-]+)+\/?$/.test(secret);

/** URNs are names: `urn:ietf:params:oauth:token-type:jwt`. */
const URN = /^urn:[a-z0-9][a-z0-9-]{0,31}:/i;

/** URLs that carry no credentials (credentials in URLs have their own rule), and URNs. */
export const notUrl: Filter = (secret) =>
  !URN.test(secret) && (!/^[a-z][a-z0-9+.-]*:\/\//i.test(secret) || /:\/\/[^/\s]*:[^/\s]*@/.test(secret));

const CASE_WORD = /[A-Z]{2,}(?=[A-Z][a-z]|\d|$)|[A-Z]?[a-z]{3,}\d{1,2}(?=[A-Z])|[A-Z][a-z]+|[a-z]+|[A-Z]\d{1,2}(?=[A-Z]|$)/g;

/**
 * camelCase or PascalCase of real words (`passwordInput`, `InterpolationInJSX`, `userId2`,
 * `recaptchaV2Token`, `oauth2Client`, bundler-renamed `Token$1`, private `authTokenProvider_`), not random case.
 */
function isCamelCase(text: string): boolean {
  const body = text.replace(/^_+|_+$/g, '').replace(/(?:\$\d+|\d{1,2})$/, '');
  const words = body.match(CASE_WORD) ?? [];
  const real = words.every((word) => word.length >= 2 || /[A-Z]/.test(word));
  return real && words.length >= 2 && words.join('') === body && /[a-z]/.test(body) && /[A-Z]/.test(body);
}

/** snake_case whose parts are words or camelCase words, one at least camelCase: `my_recaptchaV3Token`. */
function isMixedIdentifier(text: string): boolean {
  const parts = text.split('_').filter((part) => part !== '');
  return (
    parts.length >= 2 &&
    parts.some(isCamelCase) &&
    parts.every((part) => isCamelCase(part) || /^(?:[a-z]{2,}|[A-Z][a-z]+|[A-Z]{2,})\d{0,2}$/.test(part))
  );
}
/**
 * A part of a property path: a word or camelCase with digits only at its end (`config`, `apiKey`,
 * `TOKEN`, `v2`), or lower-case snake_case (`from_p12_keyfile`); `Kx9.mQ2vL7pW4` is a password
 * with a dot in it.
 */
const isNamePart = (part: string): boolean =>
  /^[A-Za-z_$][a-z_$]*(?:[A-Z][a-z_$]*)*\d{0,2}[?!]?$|^[a-z_$][a-z0-9_$]*$/.test(part);
const DOTTED = /^[A-Za-z_$][\w$]*(?:[?!]?\.[A-Za-z_$][\w$]*)+[?!]?$/;
const SEPARATED_WORDS = /^[A-Za-z]+(?:[_-][A-Za-z]+)*$/;
const CONSTANT = /^_*[A-Z][A-Z0-9]*(?:_{1,2}[A-Z0-9]+)+_*$/;

/** Numeric constants such as `0x8C2F`; longer 0x strings (private keys) are not constants. */
const HEX_LITERAL = /^0x[0-9a-fA-F]{1,16}$/;
/**
 * Names joined by `::` (`AWS::S3::Bucket`, `Net::HTTP::Post`), also with a method after them
 * (`Google::Auth.get_application_default`): types, calls and settings keys, not values.
 */
const SCOPED_NAME = /^[A-Za-z_]\w*(?:::[A-Za-z_]\w*)+(?:\.[A-Za-z_]\w*)?$/;
/** A part that starts with a byte or code-unit escape: `b"\x9b\xbe…"` is a key's bytes, not a name. */
const BYTE_ESCAPE = /^(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})/;
/**
 * Names joined by backslashes (or escaped ones, `App\\Models\\User` in a quoted string), each a
 * word or camelCase: PHP namespaces and class names
 * (`Predis\Command\ConnectionAuth`, `Aws\S3\S3Client`, `\App\Http\Kernel`) and Windows object paths
 * (`\Device\NamedPipe\msys`). A password with a backslash has random case and digits inside its parts.
 */
function isBackslashName(text: string): boolean {
  const parts = text.replace(/^\\{1,2}/, '').split(/\\{1,2}/);
  const joined = parts.length >= 3 || (parts.length === 2 && text.startsWith('\\'));
  return joined && parts.every((part) => !BYTE_ESCAPE.test(part) && (isNamePart(part) || isCamelCase(part)));
}
/** Namespaced identifiers and resource names: `serverlessrepo:applicationId`, `secretsmanager:ResourceTag/tag-key`. */
const NAMESPACED = /^[a-z][a-z0-9-]*:(?:[a-z]+(?:[A-Z][a-z]+)+|[A-Za-z][\w-]*\/[\w/*.-]+)$/;

const isQuoted = (context: MatchContext): boolean => /["'`]/.test(context.before);

/**
 * A value joined to a service's namespace by a colon is a resource or condition name read as
 * `name:value`: `secretsmanager:ResourceTag/tag-key`. A namespace that is itself a secret's name
 * (`password:Summer/Time` in a .properties file) stays a value.
 */
function isNamespacedName(bare: string, context: MatchContext): boolean {
  if (context.before !== ':') return false;
  const joined = /[a-z][a-z0-9-]*:\S+$/.exec(context.match)?.[0].replace(/[.,;:)]+$/, '');
  if (joined === undefined || !NAMESPACED.test(joined) || !joined.endsWith(bare)) return false;
  return !/(?:pass|password|passwd|pwd|secret|token|key|auth|credentials?)[:]/.test(joined);
}

/**
 * The name is an ARN's resource type (`arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf`,
 * also with `*` or `${AWS::Region}` parts): what follows names a resource, it is not a value.
 * Read from the end of the line before the match: `/(?<![\w-])arn:[^\s"'`]*:$/` tried each `arn:`
 * of it to its end, 4 ms for a line of them before each match (1 MB of such lines: 2.3 s).
 */
function followsArnPrefix(lineBefore: string): boolean {
  if (!lineBefore.endsWith(':')) return false;
  let start = lineBefore.length;
  while (start > 0 && !/[\s"'`]/.test(lineBefore[start - 1] ?? '')) start--;
  // The first `arn:` of the run that starts a name, with at least one character before the last colon.
  const at = lineBefore.slice(start).search(/(?<![\w-])arn:/);
  return at !== -1 && start + at + 4 < lineBefore.length;
}

/**
 * Identifiers instead of values: `passwordInput`, `config.token`, `API_TOKEN`, `?TokenKind`, `0x8C2F`.
 * Unquoted values are code, so any identifier shape is dropped; quoted ones only when unmistakable.
 * A dotted value with a word ending in two digits or more is a password people make up
 * (`Meadow9980.harbor`), not a property path.
 */
export const notIdentifier: Filter = (secret, context) => {
  // Sentence punctuation after an unquoted word is prose, not part of a name (`secretsmanager:TagResource.`).
  const bare = secret.replace(/^[?!@:#.]+/, '').replace(/(?<=[A-Za-z])[.,;:)]+$/, '');
  if (
    isCamelCase(bare) ||
    isMixedIdentifier(bare) ||
    (DOTTED.test(bare) && !/[A-Za-z]\d{2,}(?:\.|$)/.test(bare) && bare.split('.').every(isNamePart)) ||
    CONSTANT.test(bare) ||
    HEX_LITERAL.test(bare) ||
    NAMESPACED.test(bare) ||
    SCOPED_NAME.test(bare) ||
    isBackslashName(bare) ||
    isNamespacedName(bare, context) ||
    followsArnPrefix(context.lineBefore)
  ) {
    return false;
  }
  if (!isQuoted(context) && SEPARATED_WORDS.test(bare) && !isRandomLetters(bare)) return false;
  return true;
};

/** Source files in which a literal secret is always a quoted string. */
const CODE_EXTENSIONS = new Set(
  (
    'js mjs cjs jsx ts mts cts tsx vue svelte py pyi go java kt kts scala groovy cs fs vb rb php rs swift ' +
    'c h cc cpp cxx hpp hh hxx tcc tpp ipp inl m mm dart lua pl pm r jl ex exs erl hs clj cljs elm ml sol tf hcl ' +
    'json json5 map'
  ).split(' '),
);

/**
 * True for `key=value` text inside a string literal (`"Server=db;Password=…;"`,
 * `` `https://…?access_token=…` ``): an odd number of quotes before it on an ordinary-length line,
 * and the value ends the way such text does (`;`, `&`, a space before `;`, a quote).
 */
function insideStringLiteral(context: MatchContext): boolean {
  const { lineBefore, after } = context;
  if (lineBefore.length >= LINE_BEFORE_LIMIT || !/^[ \t;&"'`]?$/.test(after)) return false;
  // In a comment, backticks mark code spans of documentation, not template literals.
  const quotes = /^\s*(?:\*|\/\/|\/\*|#)/.test(lineBefore) ? ['"', "'"] : ['"', "'", '`'];
  return quotes.some((quote) => (lineBefore.split(quote).length - 1) % 2 === 1);
}

/** A line that starts a comment (`#`, `//`, `/*`, ` * `, `--`), before the match. */
const COMMENT_LINE = /^[ \t]*(?:#|\/\/|\/\*|\*|--)/;
/**
 * A password someone made up, written in prose: letters, a digit and a symbol no identifier,
 * path or expression of words holds (`Tr0ub4dor&3`, `Br4mble%454`), and no brackets or quotes.
 */
const MADE_UP_IN_PROSE = /^(?=[^\d]{0,128}\d)(?=[^A-Za-z]{0,128}[A-Za-z])(?=[^!#$%*+@^~&?=]{0,128}[!#$%*+@^~&?=])[^\s()<>[\]{}'"`\\,;]+$/;

/**
 * In source code a secret is a string literal; an unquoted value after `token =` there is an
 * identifier or an expression (`token = this.next()`, minified `t.tokens===!0`), never a secret,
 * unless the whole assignment sits inside a string (`"Server=db;Password=…;"`), or in a comment
 * that discloses a made-up password (`# prod password: …`).
 */
export const quotedInCode: Filter = (secret, context) => {
  if (isQuoted(context) || insideStringLiteral(context)) return true;
  if (COMMENT_LINE.test(context.lineBefore) && MADE_UP_IN_PROSE.test(secret)) return true;
  const dot = context.path.lastIndexOf('.');
  if (dot === -1 || dot < context.path.lastIndexOf('/')) return true;
  return !CODE_EXTENSIONS.has(context.path.slice(dot + 1).toLowerCase());
};

/** Words joined by `-` or `_` (`db-credentials`, `refresh_token_rotation`): names, never keys or tokens. */
/**
 * An identifier of three or more lower-case words with short numbers, joined by `_`:
 * `google_oauth2_credentials`, `not_exists_file_1123`. Joined by `-` (`winter-coat-73`) it may be
 * a password someone made up.
 */
const NUMBERED_WORDS = /^[a-z]{2,}\d{0,2}(?:_[a-z]{2,}\d{0,2}){1,}(?:_[a-z]{2,}\d{0,2}|_\d{1,6})$/;

/** Shannon entropy in bits per character. */
function entropyOf(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / text.length) * Math.log2(count / text.length);
  return bits;
}

/**
 * Letters only that read as random, not as words (`gGyzpRGDnnmiMIgSMoKGqGze`): 24 or more, the case
 * changing at least at two in five letters, high entropy, and not camelCase words. About one random
 * 24-character base62 token in seventy has no digit.
 */
function isRandomLetters(secret: string): boolean {
  if (secret.length < 24 || !/^[A-Za-z]+$/.test(secret) || isCamelCase(secret)) return false;
  let changes = 0;
  for (let index = 1; index < secret.length; index++) {
    if (isUpper(secret.charCodeAt(index)) !== isUpper(secret.charCodeAt(index - 1))) changes++;
  }
  return changes * 5 >= (secret.length - 1) * 2 && entropyOf(secret) >= 3.7;
}

/**
 * Lower-case words and a number joined by `-`, one word naming what the value stands for: a test's
 * value (`client-valid-token-1`, `test-api-key-2`), not a key or token.
 */
const NAMED_TEST_VALUE = /^[a-z]{2,}(?:-[a-z]{2,}){1,6}-\d{1,4}$/;
const NAMES_ITS_KIND = /(?:^|-)(?:token|key|secret)-/;

/** Words that name rather than hold a secret; leading `_` or `!` (`_aj_hash_with_indifferent_access`) is part of a name. */
export const notWords: Filter = (secret) => {
  const bare = secret.replace(/^[_!]+|_+$/g, '');
  return (
    (!SEPARATED_WORDS.test(bare) || isRandomLetters(bare)) &&
    !NUMBERED_WORDS.test(bare) &&
    !(NAMED_TEST_VALUE.test(bare) && NAMES_ITS_KIND.test(bare))
  );
};

/**
 * Repeated characters (`aaaaaaaa`) or units (`abcabcabc`), long runs, keyboard walks and alphabet
 * or digit runs (`123456`, `abcd1234`, `1qaz2wsx`, `zxcvbnm`, `a1b2c3d4`).
 */
/** Whether `value` has at least `count` distinct characters (most secrets tell by their first few). */
function hasDistinct(value: string, count: number): boolean {
  const seen: string[] = [];
  for (const char of value) {
    if (!seen.includes(char) && seen.push(char) >= count) return true;
  }
  return false;
}

export const notRepeated: Filter = (secret) => {
  if (!hasDistinct(secret, 4)) return false;
  if (/(.)\1{7,}/.test(secret) || isPeriodic(secret) || isInterleavedRun(secret) || isSequence(secret)) return false;
  const lower = secret.toLowerCase();
  return sequenceRuns(lower, 6) === 0 && sequenceRuns(lower, 4) < 2;
};

/** Hex strings shorter than 20 characters: resource ids and short hashes far more often than keys. */
export const notShortHex: Filter = (secret) => !/^(?:0x)?[0-9a-fA-F]{1,19}$/.test(secret);

/**
 * Mapbox public tokens: `pk.` and a base64url JSON body (`pk.eyJ1Ijoi…`), then `.` and a signature.
 * They are made to be shipped to browsers (`mapboxgl.accessToken = 'pk.…'`); the secret kind is
 * `sk.` (mapbox-secret-token).
 */
const MAPBOX_PUBLIC_TOKEN = /^pk\.eyJ[A-Za-z0-9_-]{10,400}\.[A-Za-z0-9_-]{10,100}$/;

/**
 * Supabase's anon key: a JWT issued by Supabase whose payload says `"role": "anon"`. It is made to
 * be shipped to browsers (Row Level Security guards the data); the secret kinds are the
 * service_role JWT and `sb_secret_` keys, which stay reported.
 */
function isSupabaseAnonKey(secret: string): boolean {
  const payload = secret.startsWith('eyJ') ? secret.split('.')[1] : undefined;
  if (payload === undefined) return false;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (typeof claims !== 'object' || claims === null) return false;
    const { role, iss } = claims as Record<string, unknown>;
    return role === 'anon' && (iss === 'supabase' || iss === 'supabase-demo');
  } catch {
    return false;
  }
}

/**
 * Plaid's Link tokens and public tokens (`link-sandbox-` or `public-production-` and a UUID): made
 * for the browser, where Plaid Link opens with the one and hands back the other, and short-lived
 * (hours, minutes). The secret kind is the `access-` token (plaid-access-token).
 */
const PLAID_CLIENT_TOKEN = /^(?:link|public)-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Tokens that are public by design, assigned to names that say token or key. */
export const notPublicToken: Filter = (secret) =>
  !MAPBOX_PUBLIC_TOKEN.test(secret) && !PLAID_CLIENT_TOKEN.test(secret) && !isSupabaseAnonKey(secret);

/** GraphQL schema (SDL) files, where `name: Type` declares a field or an argument, not a value. */
const GRAPHQL_FILE = /\.(?:graphqls?|gql)$/i;
/** A GraphQL type reference: a name, optionally non-null (`!`) and in lists (`[String!]!`). */
const GRAPHQL_TYPE = /^\[{0,4}[A-Za-z_]\w{0,80}!?(?:\]!?){0,4}$/;

/**
 * `password: String!` in a `.graphql`, `.graphqls` or `.gql` file declares the type of a field: in
 * those files a value that reads as a type reference is not a secret. Elsewhere `Hunter7Kq!` stays a
 * value. (Schemas inside gql template literals in code are unquoted values, which quoted-in-code drops.)
 */
export const notGraphqlType: Filter = (secret, context) =>
  !(GRAPHQL_FILE.test(context.path) && GRAPHQL_TYPE.test(secret));

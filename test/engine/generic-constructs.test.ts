import { describe, expect, it } from 'vitest';
import { builtinRuleSet, scanText } from '../helpers/catalogue.js';
import { ALPHA, randomString } from '../helpers/tokens.js';

// Issue 16, sections 2 and 4: the constructs real code wraps secrets in, and the look-alikes a real
// dependency tree and a large framework's history hold. Each case is one in-process scan.
const ruleSet = await builtinRuleSet();
const KEY = randomString(ALPHA.alnum, 32, 1601);
/** A made-up password as base64 (what .npmrc's _password and Kubernetes secrets hold). */
const B64_PASSWORD = Buffer.from('Tq8!vRw2#mZk5Lp').toString('base64');
const PASSWORD = `Rk4${randomString(ALPHA.alnum, 10, 1602)}`;
const USER = 'svc-app';
const DOLLAR_PASSWORD = `$${randomString(ALPHA.alnum, 12, 1604)}`;
const BRACED_PASSWORD = `${randomString(ALPHA.alnum, 3, 1605)}{${randomString(ALPHA.alnum, 4, 1606)}}${randomString(ALPHA.alnum, 5, 1607)}`;

/** [construct, path, content, rule, secret] */
const POSITIVES: [string, string, string, string, string][] = [
  [
    "a CSV export's password column (a quoted cell with a comma)",
    'exports/service_accounts.csv',
    `username,password,role\nsvc-backup,"${PASSWORD},x",admin\nsvc-ci,,deploy\n`,
    'generic-password',
    `${PASSWORD},x`,
  ],
  [
    "a semicolon-separated table's api_token column",
    'seed/keys.csv',
    `id;email;api_token\r\n1;ops@acme.io;${KEY}\r\n`,
    'generic-secret',
    KEY,
  ],
  [
    "a property list's password string",
    'App/Settings.plist',
    `<dict>\n  <key>Server</key>\n  <string>mail.acme.io</string>\n  <key>Password</key>\n  <string>${PASSWORD}</string>\n</dict>\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    "a Windows answer file's administrator password",
    'sources/$OEM$/autounattend.xml',
    `<UserAccounts>\n  <AdministratorPassword>\n    <Value>${PASSWORD}</Value>\n    <PlainText>true</PlainText>\n  </AdministratorPassword>\n</UserAccounts>\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    "FileZilla's saved password (base64)",
    'filezilla/sitemanager.xml',
    `<Server>\n  <Host>ftp.acme.io</Host>\n  <User>deploy</User>\n  <Pass encoding="base64">${Buffer.from(PASSWORD).toString('base64')}</Pass>\n</Server>\n`,
    'generic-password',
    Buffer.from(PASSWORD).toString('base64'),
  ],
  [
    'a SQL dump row, after a value with an escaped quote, a comma and parentheses',
    'db/dump.sql',
    `INSERT INTO \`users\` (\`id\`, \`bio\`, \`password\`) VALUES (1,'it\\'s me, (ops)','${PASSWORD}'),(2,'x',NULL);\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    "a CloudFormation parameter's default",
    'infra/stack.yaml',
    `Parameters:\n  DBUsername:\n    Type: String\n    Default: appadmin\n  DBPassword:\n    Type: String\n    NoEcho: true\n    Default: ${PASSWORD}\nResources: {}\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    'a Java web.xml context parameter',
    'src/main/webapp/WEB-INF/web.xml',
    `<context-param>\n  <param-name>ldap.bind.password</param-name>\n  <param-value>${PASSWORD}</param-value>\n</context-param>\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    'a Hadoop property',
    'conf/core-site.xml',
    `<property>\n  <name>fs.s3a.secret.key</name>\n  <value>${KEY}</value>\n</property>\n`,
    'generic-secret',
    KEY,
  ],
  [
    "a Postman environment's variable",
    'prod.postman_environment.json',
    `{\n  "values": [\n    {\n      "key": "apiKey",\n      "value": "${KEY}",\n      "type": "secret"\n    }\n  ]\n}\n`,
    'generic-secret',
    KEY,
  ],
  [
    'black-wrapped Python assignment',
    'app/settings.py',
    `API_TOKEN = (\n    "${KEY}"\n)\n`,
    'generic-secret',
    KEY,
  ],
  ['prettier-wrapped TypeScript', 'src/config.ts', `const apiSecret =\n  "${KEY}";\n`, 'generic-secret', KEY],
  [
    'Python line continuation',
    'db.py',
    `DB_PASSWORD = \\\n    "${PASSWORD}"\n`,
    'generic-password',
    PASSWORD,
  ],
  ['shell line continuation', 'env.sh', `export ACME_TOKEN=\\\n${KEY}\n`, 'generic-secret', KEY],
  [
    'YAML literal block',
    'values.yaml',
    `db:\n  password: |\n    ${PASSWORD}\n`,
    'generic-password',
    PASSWORD,
  ],
  ['YAML folded block', 'values.yaml', `api:\n  secret_key: >-\n    ${KEY}\n`, 'generic-secret', KEY],
  ['Python triple-quoted', 'keys.py', `API_KEY = """${KEY}"""\n`, 'generic-secret', KEY],
  ['JS template literal', 'src/api.js', `const authToken = \`${KEY}\`;\n`, 'generic-secret', KEY],
  [
    'notebook cell (JSON-escaped Python)',
    'analysis.ipynb',
    `{"cells": [{"cell_type": "code", "source": [\n    "import acme\\n",\n    "api_key = \\"${KEY}\\"\\n"\n]}]}`,
    'generic-secret',
    KEY,
  ],
  [
    'Dockerfile ENV space form',
    'Dockerfile',
    `FROM node:20\nENV ACME_API_TOKEN ${KEY}\n`,
    'generic-secret',
    KEY,
  ],
  ['Dockerfile ARG default', 'Dockerfile', `ARG DB_PASSWORD=${PASSWORD}\n`, 'generic-password', PASSWORD],
  [
    '--password value',
    'deploy.sh',
    `acme-cli login --user ci --password ${PASSWORD}\n`,
    'password-flag',
    PASSWORD,
  ],
  [
    'sshpass -p',
    'sync.sh',
    `sshpass -p '${PASSWORD}' ssh deploy@10.0.0.5 uptime\n`,
    'password-flag',
    PASSWORD,
  ],
  [
    'psexec -p',
    'run.bat',
    `psexec \\\\srv01 -u ACME\\admin -p ${PASSWORD} cmd.exe\n`,
    'password-flag',
    PASSWORD,
  ],
  [
    'curl -u on a continued line',
    'release.sh',
    `curl -fsS \\\n  -u ${USER}:${PASSWORD} \\\n  https://ci.acme.io/api\n`,
    'curl-credentials',
    PASSWORD,
  ],
  [
    'PowerShell ConvertTo-SecureString',
    'deploy.ps1',
    `$pw = ConvertTo-SecureString "${PASSWORD}" -AsPlainText -Force\n`,
    'password-argument',
    PASSWORD,
  ],
  [
    '.NET NetworkCredential',
    'Mailer.cs',
    `var cred = new NetworkCredential("${USER}", "${PASSWORD}");\n`,
    'password-argument',
    PASSWORD,
  ],
  [
    'libcurl CURLOPT_USERPWD',
    'fetch.c',
    `curl_easy_setopt(h, CURLOPT_USERPWD, "${USER}:${PASSWORD}");\n`,
    'password-argument',
    PASSWORD,
  ],
  [
    'libcurl CURLOPT_PASSWORD',
    'fetch.c',
    `curl_easy_setopt(h, CURLOPT_PASSWORD, "${PASSWORD}");\n`,
    'password-argument',
    PASSWORD,
  ],
  [
    'SQL IDENTIFIED BY',
    'init.sql',
    `CREATE USER 'app'@'%' IDENTIFIED BY '${PASSWORD}';\n`,
    'sql-password',
    PASSWORD,
  ],
  [
    'SQL WITH PASSWORD',
    'init.sql',
    `CREATE USER app WITH PASSWORD '${PASSWORD}';\n`,
    'sql-password',
    PASSWORD,
  ],
  [
    'X-API-Key header',
    'call.sh',
    `curl -H "X-API-Key: ${KEY}" https://api.acme.io/v1\n`,
    'generic-secret',
    KEY,
  ],
  ['X-Auth-Token header', 'client.py', `headers = {"X-Auth-Token": "${KEY}"}\n`, 'generic-secret', KEY],
  ['custom *-Token header', 'api.http', `GET /v1/jobs\nX-Acme-Token: ${KEY}\n`, 'generic-secret', KEY],
  [
    '?api_key= query',
    'fetch.js',
    `fetch("https://api.acme.io/v1/q?api_key=${KEY}&q=x")\n`,
    'generic-secret',
    KEY,
  ],
  [
    '&access_token= query',
    'README.md',
    `https://graph.acme.io/me?fields=id&access_token=${KEY}\n`,
    'generic-secret',
    KEY,
  ],
  [
    '&password= query',
    'login.txt',
    `https://acme.io/login?user=${USER}&password=${PASSWORD}\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    'ADO.NET password before the user',
    'appsettings.json',
    `{"Db": "Password=${PASSWORD};User Id=app;Server=sql01;Database=shop"}\n`,
    'generic-password',
    PASSWORD,
  ],
  ['ODBC Pwd=', 'odbc.ini', `DSN=shop;Uid=app;Pwd=${PASSWORD};\n`, 'generic-password', PASSWORD],
  [
    'JDBC query credentials',
    'app.properties',
    `db.url=jdbc:mysql://db:3306/shop?user=app&password=${PASSWORD}\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    'URL with @ in the user name',
    'sync.sh',
    `git clone https://deploy@acme.io:${PASSWORD}@git.acme.io/app.git\n`,
    'url-credentials',
    PASSWORD,
  ],
  ['pw name', 'conf.py', `pw = "${PASSWORD}"\n`, 'generic-password', PASSWORD],
  ['passwd name', 'conf.ini', `[smtp]\npasswd = ${PASSWORD}\n`, 'generic-password', PASSWORD],
  ['pass name', 'conf.rb', `config.smtp_pass = "${PASSWORD}"\n`, 'generic-password', PASSWORD],
  ['*_auth name', '.npmrc.txt', `registry_auth = "${KEY}"\n`, 'generic-secret', KEY],
  ['Java typed declaration', 'Db.java', `String password = "${PASSWORD}";\n`, 'generic-password', PASSWORD],
  [
    'TypeScript typed declaration',
    'db.ts',
    `const password: string = "${PASSWORD}";\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    'words and a number joined by hyphens',
    '.env',
    'DB_PASSWORD=winter-coat-73\n',
    'generic-password',
    'winter-coat-73',
  ],
  [
    'a password kept in base64',
    'db.yml',
    `db_password: "${B64_PASSWORD}"\n`,
    'generic-password',
    B64_PASSWORD,
  ],
  [
    'camelCase name passed to a call',
    'Boot.java',
    `System.setProperty("aws.secretKey", "${KEY}");\n`,
    'generic-secret',
    KEY,
  ],
  [
    'os.getenv default',
    'settings.py',
    `API_TOKEN = os.getenv("API_TOKEN", "${KEY}")\n`,
    'generic-secret',
    KEY,
  ],
  [
    'process.env || default',
    'config.js',
    `const apiKey = process.env.API_KEY || "${KEY}";\n`,
    'generic-secret',
    KEY,
  ],
  ['ENV.fetch default', 'config.rb', `TOKEN = ENV.fetch("ACME_TOKEN", "${KEY}")\n`, 'generic-secret', KEY],
  ['comparison', 'auth.py', `if password == "${PASSWORD}":\n    login()\n`, 'generic-password', PASSWORD],
  [
    'password starting with $',
    '.env',
    `DB_PASSWORD=${DOLLAR_PASSWORD}\n`,
    'generic-password',
    DOLLAR_PASSWORD,
  ],
  ['password with {…}', 'conf.yml', `password: "${BRACED_PASSWORD}"\n`, 'generic-password', BRACED_PASSWORD],
  [
    'Kotlin Elvis default',
    'Config.kt',
    `val apiKey = System.getenv("API_KEY") ?: "${KEY}"\n`,
    'generic-secret',
    KEY,
  ],
  [
    'C# ?? default',
    'Config.cs',
    `var token = Environment.GetEnvironmentVariable("ACME_TOKEN") ?? "${KEY}";\n`,
    'generic-secret',
    KEY,
  ],
  ['PHP ?: default', 'config.php', `$apiKey = getenv('API_KEY') ?: '${KEY}';\n`, 'generic-secret', KEY],
  ['Ruby || default', 'config.rb', `api_token = ENV["API_TOKEN"] || "${KEY}"\n`, 'generic-secret', KEY],
  [
    'Python environ.get default',
    'settings.py',
    `DB_PASSWORD = os.environ.get("DB_PASSWORD", "${PASSWORD}")\n`,
    'generic-password',
    PASSWORD,
  ],
  ['JS strict comparison', 'auth.js', `if (token === "${KEY}") next();\n`, 'generic-secret', KEY],
  ['Go comparison', 'auth.go', `if apiKey != "${KEY}" {\n`, 'generic-secret', KEY],
  ['Kotlin typed', 'Keys.kt', `val apiKey: String = "${KEY}"\n`, 'generic-secret', KEY],
  ['Go typed var', 'keys.go', `var apiToken string = "${KEY}"\n`, 'generic-secret', KEY],
  ['Rust typed let', 'main.rs', `let api_key: &str = "${KEY}";\n`, 'generic-secret', KEY],
  ['C# typed', 'Db.cs', `string password = "${PASSWORD}";\n`, 'generic-password', PASSWORD],
  [
    'Kubernetes stringData block',
    'secret.yaml',
    `stringData:\n  password: |-\n    ${PASSWORD}\n`,
    'generic-password',
    PASSWORD,
  ],
  ['Kotlin raw string', 'Keys.kt', `const val SECRET_KEY = """${KEY}"""\n`, 'generic-secret', KEY],
  [
    'notebook JSON cell with a dict',
    'calls.ipynb',
    `{"source": ["cfg = {\\"password\\": \\"${PASSWORD}\\"}\\n"]}`,
    'generic-password',
    PASSWORD,
  ],
  [
    'Python requests X-Api-Key',
    'client.py',
    `requests.get(url, headers={"X-Api-Key": "${KEY}"})\n`,
    'generic-secret',
    KEY,
  ],
  ['JS x-api-key header', 'client.js', `headers: { 'x-api-key': '${KEY}' },\n`, 'generic-secret', KEY],
  [
    'YAML webhook ?token=',
    'alerts.yml',
    `webhook: https://hooks.acme.io/notify?token=${KEY}\n`,
    'generic-secret',
    KEY,
  ],
  [
    'properties password joined by a colon, words and a slash',
    'app.properties',
    'db.password:Kestrel/Marble-Quay\n',
    'generic-password',
    'Kestrel/Marble-Quay',
  ],
  [
    'JDBC SQL Server properties',
    'db.properties',
    `url=jdbc:sqlserver://db:1433;databaseName=shop;user=app;password=${PASSWORD};\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    'ADO.NET in web.config',
    'web.config',
    `<add name="Shop" connectionString="Data Source=db;Initial Catalog=shop;User ID=app;Password=${PASSWORD}" />\n`,
    'mssql-connection-string',
    PASSWORD,
  ],
  [
    'SQLAlchemy URL',
    'db.py',
    `engine = create_engine("mssql+pyodbc://app:${PASSWORD}@db/shop?driver=ODBC+Driver+18")\n`,
    'url-credentials',
    PASSWORD,
  ],
];

/** [look-alike, path, content] that must yield nothing. */
const NEGATIVES: [string, string, string][] = [
  [
    'a table without a header, a password_hash column, a placeholder and an empty cell',
    'users.csv',
    `alice,${PASSWORD},admin\nbob,${KEY},ops\n`,
  ],
  [
    'a password_hash column and placeholders under a password column',
    'fixtures/users.csv',
    `email,password_hash,password\na@acme.io,${KEY},changeme\nb@acme.io,${KEY},\n`,
  ],
  [
    'property list flags and names, and an answer file sysprep has masked',
    'App/Settings.plist',
    '<key>PasswordRequired</key>\n<true/>\n<key>PasswordField</key>\n<string>passwordInput</string>\n',
  ],
  [
    'an answer file whose password sysprep masked',
    'unattend.xml',
    '<AdministratorPassword>\n  <Value>*SENSITIVE*DATA*DELETED*</Value>\n  <PlainText>true</PlainText>\n</AdministratorPassword>\n',
  ],
  [
    'a line shaped like a service directive, in documentation rather than a configuration file',
    'docs/setup.md',
    'Then set the SMTP password:\n\npassword 2b8viMgG^jllM9x\nrequirepass 4Q2xITikfd!S5v\n',
  ],
  [
    'SQL seed rows with hashed passwords, NULLs and placeholders',
    'db/seed.sql',
    "INSERT INTO users (id, email, password_hash, api_token) VALUES\n  (1, 'a@acme.io', '$2y$10$Q7kZcVx9mNwR3tLp8sDfUeH1jKoA5bYgT6iXqWzE0rMnC4vB2yP7u', NULL),\n  (2, 'b@acme.io', 'changeme', '<token>');\n",
  ],
  [
    'CloudFormation parameters without a literal default',
    'infra/stack.yaml',
    'Parameters:\n  DBPassword:\n    Type: String\n    NoEcho: true\n    MinLength: 12\n  ApiToken:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: /prod/api/token\n  AdminPassword:\n    Type: String\n    Default: ""\n',
  ],
  [
    'a Hadoop property that names a host, and a Postman variable read from the environment',
    'conf/core-site.xml',
    `<property><name>fs.s3a.endpoint</name><value>s3.eu-west-1.amazonaws.com</value></property>\n<property><name>fs.s3a.secret.key</name><value>\${env.S3_SECRET}</value></property>\n`,
  ],
  [
    'a Postman variable read from the environment',
    'prod.postman_environment.json',
    '{ "key": "apiKey", "value": "{{API_KEY}}", "type": "secret" }\n',
  ],
  ['a keyword argument false', 'app/views/users.rb', 'render json: @user, exclude_user_password: false\n'],
  [
    'authenticity_token in an HTML example',
    'guides/form_helpers.md',
    '<input type="hidden" name="authenticity_token" value="f755bb0ed134b76c432144748a6d4b7a7ddf2b71">\n',
  ],
  ['withCredentials passed on', 'src/xhr.js', 'request({ url, withCredentials: withCredentials });\n'],
  ['route strings', 'config/routes.rb', "get 'password_resets/:token/edit' => 'password_resets#edit'\n"],
  ['URN constant', 'oauth.py', 'TOKEN_TYPE_JWT = "urn:ietf:params:oauth:token-type:jwt"\n'],
  [
    'six.py MovedAttribute',
    'six.py',
    '    MovedAttribute("HTTPPasswordMgrWithDefaultRealm", "urllib2", "urllib.request"),\n',
  ],
  ['hashlib.scrypt salt', 'kdf.py', "key = hashlib.scrypt(b'password', salt=b'salt', n=16384, r=8, p=1)\n"],
  [
    'AWS-style documented example key (marked EXAMPLE)',
    'README.md',
    `aws_secret_access_key = ${randomString(ALPHA.alnum, 30, 1603)}EXAMPLEKEY\n`,
  ],
  ['leetspeak placeholder', 'conf.yml', 'password: "P@ssw0rd123!"\n'],
  ['keyboard walk', '.env', 'DB_PASSWORD=1qaz2wsx3edc\n'],
  ['alternating run', '.env', 'API_TOKEN=abababababababababab\n'],
  ['anonymous FTP', 'mirror.sh', 'wget ftp://anonymous:guest@ftp.acme.io/pub/x.tgz\n'],
  ['keyboard-run password in a URL', 'url.test.js', "'http://asdf:qwer@www.acme.io',\n"],
  ['URL password equal to the user', 'compose.yml', 'DATABASE_URL: postgres://shop:shop@db:5432/shop\n'],
  ['key-vault name', 'main.tf', 'key_vault_name = "kv-shop-prod-weu-001"\n'],
  [
    'ciphertext marked as such',
    'secrets.yml',
    'encrypted_password: "AQICAHh9kXq3Rv7mN2pL8sT4wY6zB1cD5fG0hJ"\n',
  ],
  ['shell variable', 'run.sh', 'mysql -u app -p"$DB_PASSWORD" shop\nPASSWORD=$DB_PASSWORD\n'],
  ['getenv without default', 'settings.py', 'API_TOKEN = os.getenv("API_TOKEN")\n'],
  ['comparison with empty', 'auth.py', 'if password == "":\n    fail()\n'],
  ['prose "identified by"', 'api.d.ts', ' * Specific changes are identified by subelements.\n'],
  [
    'IAM action in prose',
    'sm.d.ts',
    ' * Required permissions:  secretsmanager:TagResource. For more information\n',
  ],
  [
    'IAM condition key in prose',
    'NOTES.md',
    '/** Resource names: `serverlessrepo:applicationId`, `secretsmanager:ResourceTag/tag-key`. */\n',
  ],
  ['IAM condition key in a policy', 'policy.yml', 'Condition: secretsmanager:ResourceTag/Project\n'],
  [
    'a doctest of requests-oauthlib',
    'oauth1_session.py',
    "            'oauth_token_secret': '2kjshdfp92i34asdasd',\n",
  ],
  [
    'RFC 5849 example header',
    'parameters.py',
    '    oauth_consumer_key="0685bd9184jfhq22",\n    oauth_token="ad180jjd733klru7",\n',
  ],
  [
    "PyJWT's README token",
    'METADATA',
    '    eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzb21lIjoicGF5bG9hZCJ9.4twFt5NiznN84AWoo1d7KO1T_yoc0Z6XOpOVswacPZg\n',
  ],
  [
    'a release file named after a link',
    'package_index.py',
    `    '?tokena=A&amp;tokenb=B">package_name-0.1.2.tar.gz')\n`,
  ],
  [
    'a regular expression with printf fields',
    'shell.py',
    "    _token_terminator = r'(?=\\^?[%s]|[%s%s])' % (_ws, _punct, _nl)\n",
  ],
  [
    'C++ template code, unquoted',
    'regex_scanner.tcc',
    // Split: in this file (TypeScript) the line would be a quoted value.
    '      _M_tok' + 'en = _S_token_bracket_begin;\n',
  ],
  ['a version under a module name', 'CoreList.pm', "    'Test2::Event::Pass'    => '1.302191',\n"],
  [
    'a constant whose value is its name',
    'obj_mac.h',
    '#define SN_setAttr_Token_B0Prime                "setAttr-Token-B0Prime"\n',
  ],
  ['a Makefile rule', 'Makefile', 'git-credential-wincred.exe : git-credential-wincred.c\n'],
  ['a placeholder sentence in base64', 'README.md', "  password: 'bm90IGEgcGFzc3dvcmQ=',\n"],
  [
    'an HTML-escaped type',
    'manual.html',
    '#5: 0x95CACC9: reserve&lt;syntax::tokenstream::TokenStream&gt;; (vec.rs:460)\n',
  ],
  ['a user and an interpolated variable', 'Fetch.pm', '    "-auth=anonymous:$FROM_EMAIL",\n'],
  [
    'Vim script variables',
    'netrw.vim',
    // Split: in this file (TypeScript) the second line would be a quoted value.
    'let s:netrw_passwd = s:netrw_hup[host].passwd\nlet pw' + 'd = a:dict.istemp ? a:dict.tmpdir : ""\n',
  ],
  ['a hashing scheme', 'postgresql.conf', '#password_encryption = scram-sha-256\t# scram-sha-256 or md5\n'],
  ['a path template', 'resources.py', "    TOKENS = ('tokens', 'users/{userKey}/tokens/{clientId}', {},\n"],
  ['a host name', 'flags.py', "_CLOUD_SQL_API_SERVICE_TOKEN = 'sql-component.googleapis.com'\n"],
  [
    'a query string',
    'connection_string.py',
    "_GCE_VM_AUTH = '&authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:gcp,TOKEN_RESOURCE:FIRESTORE'\n",
  ],
  [
    'a regular expression ending in .+',
    'service-2.json',
    '  "pattern":"arn:([a-z\\\\d-]+):.*:.*:secret:AmazonLookoutMetrics-.+"\n',
  ],
  ['identifiers of words and numbers', 'flask_util.py', "_CREDENTIALS_KEY = 'google_oauth2_credentials'\n"],
  [
    'a package and its version',
    'THIRD-PARTY.txt',
    ' * Google Auth Library for Java - Credentials (com.google.auth:google-auth-library-credentials:1.3.0 - https://x)\n',
  ],
  [
    'a list of choices',
    'management.properties',
    '# com.sun.management.jmxremote.password.toHashes=true|false\n',
  ],
  ["Python's documentation password", 'request.py', "                      passwd='geheim$parole')\n"],
  ['camelCase with a digit', 'README.md', '  auth: oauth2Client\n'],
  ['a host in prose', 'v1.d.ts', ' * `https://user@password:www.google.com/` But it does not contain\n'],
  ['breadcrumb', 'README.md', 'clicking your project > APIs & auth > credentials.\n'],
  [
    'ConvertTo-SecureString from a variable',
    'a.ps1',
    '$s = ConvertTo-SecureString $env:PW -AsPlainText -Force\n',
  ],
  [
    'NetworkCredential from config',
    'A.cs',
    'var c = new NetworkCredential(user, config["Smtp:Password"]);\n',
  ],
  ['Kotlin empty default', 'Config.kt', 'val apiKey = System.getenv("API_KEY") ?: ""\n'],
  ['JS placeholder default', 'config.js', 'const apiKey = process.env.API_KEY || "changeme";\n'],
  ['comparison with a placeholder', 'auth.py', 'if token == "your-token-here":\n'],
  ['typed from build config', 'Keys.kt', 'val apiKey: String = BuildConfig.API_KEY\n'],
  ['YAML block template', 'secret.yaml', 'stringData:\n  password: |\n    {{ .Values.db.password }}\n'],
  ['template literal interpolation', 'a.js', 'const authToken = `${prefix}${session.id}`;\n'],
  ['notebook env lookup', 'a.ipynb', '{"source": ["api_key = os.environ[\\"API_KEY\\"]\\n"]}'],
  ['Dockerfile ENV from ARG', 'Dockerfile', 'ARG API_TOKEN\nENV API_TOKEN ${API_TOKEN}\n'],
  ['header from a variable', 'client.js', "headers: { 'X-API-Key': apiKey, 'X-Auth-Token': `${token}` },\n"],
  [
    'query placeholder',
    'README.md',
    'GET https://api.acme.io/v1/q?api_key=YOUR_API_KEY&access_token={token}\n',
  ],
  [
    'connection string placeholders',
    'a.cs',
    'var cs = "Server=db;User Id=app;Password=<password>;";\nvar b = "Uid=app;Pwd={0};";\n',
  ],
  ['password read from a prompt', 'a.sh', 'read -s -p "Password: " DB_PASSWORD\n'],
];

const found = (path: string, content: string) =>
  scanText(ruleSet, content, path).map((finding) => `${finding.ruleId} ${finding.secret}`);

describe('generic constructs (issue 16)', () => {
  it('finds a secret in each construct real code wraps it in', () => {
    const misses = POSITIVES.filter(
      ([, path, content, ruleId, secret]) => found(path, content).join('\n') !== `${ruleId} ${secret}`,
    ).map(([construct, path, content]) => `${construct}: ${JSON.stringify(found(path, content))}`);
    expect(misses).toEqual([]);
  });

  it('stays quiet on the look-alikes of dependency trees and framework histories', () => {
    const noise = NEGATIVES.map(([lookAlike, path, content]) => [lookAlike, found(path, content)] as const)
      .filter(([, findings]) => findings.length > 0)
      .map(([lookAlike, findings]) => `${lookAlike}: ${JSON.stringify(findings)}`);
    expect(noise).toEqual([]);
  });
});

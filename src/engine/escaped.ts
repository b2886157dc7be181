import { NAME_CHARS } from '../ascii-table.js';
import { urlDefaultViews } from './url-defaults.js';

/**
 * Views of a line as the rules that key on a name beside its value expect it: code held as a JSON
 * string, unescaped, URLs written with escapes, unescaped, and settings whose name and value are
 * written apart (`settingViews`).
 *
 * Lines that hold code as the text of a JSON string: a Jupyter notebook keeps each line of a cell
 * as `"    api_key = \"…\"\n",`, and a JSON config can hold a JSON document as one escaped string.
 * Rules that key on a name next to a quoted value do not see `\"` as a quote; the same line with
 * its string escapes undone reads to them as the code it stands for.
 */
export interface EscapedLine {
  /** The line with its escapes undone (a string's `\"`, `\\`, `\/`, `\'`, `\t`, `\n` and `\r`, or those of ESCAPED_URLS). */
  text: string;
  /**
   * For each character of `text`, the offset in the chunk of what it was read from, and one more
   * entry for the line's end: text[a..b) was read from chunk[offsets[a]..offsets[b]).
   */
  offsets: Int32Array;
  /**
   * Only provider rules read this view: a name made up from a call to a provider's client, which
   * says nothing that a generic rule could take as evidence of a secret.
   */
  providerOnly?: boolean;
}

/** Longer lines (minified bundles) are left alone: their cost would double for a rare find. */
const MAX_LINE = 16 * 1024;

/** Every file but JavaScript, TypeScript and the other languages whose code holds no shell expansions. */
const NOT_SOURCE_CODE =
  /^(?!.*\.(?:[cm]?[jt]sx?|py|go|java|kt|rb|rs|php|cs|c|h|cc|cpp|hpp|swift|scala|m|mm|css|scss|html?|svg|map)$)/i;

const SIMPLE: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  "'": "'",
  t: '\t',
  n: '\n',
  r: '\r',
};

/**
 * Whether the escaped quote at `at` opens a value: it follows `=`, `:`, `(` or `,` (an assignment,
 * a JSON member, an argument). Source code is full of `\"` inside ordinary strings; only lines
 * with one that opens a value are unescaped.
 */
function opensValue(content: string, at: number): boolean {
  let before = at - 1;
  while (before >= 0 && (content[before] === ' ' || content[before] === '\t')) before--;
  const char = content[before];
  return char === '=' || char === ':' || char === '(' || char === ',';
}

/**
 * Reads the escape at `index` (below `end`) of one way of writing text: what it stands for and how
 * many characters it takes, or undefined where no escape starts.
 */
type EscapeReader = (content: string, index: number, end: number) => readonly [string, number] | undefined;

/**
 * A JSON string's escapes (SIMPLE), and `\u00XX` of a printable ASCII character: JSON writers that keep
 * their output safe to embed in HTML write `&`, `<`, `>`, `'` and `=` so (Go's encoding/json,
 * Gson), inside URLs, connection strings and passwords alike.
 */
const jsonEscape: EscapeReader = (content, index, end) => {
  if (content[index] !== '\\' || index + 1 >= end) return undefined;
  const next = content[index + 1] ?? '';
  if (next !== 'u') {
    const unescaped = SIMPLE[next];
    return unescaped === undefined ? undefined : [unescaped, 2];
  }
  if (index + 6 > end || content[index + 2] !== '0' || content[index + 3] !== '0') return undefined;
  const code = parseInt(content.slice(index + 4, index + 6), 16);
  return /^[0-9a-fA-F]{2}$/.test(content.slice(index + 4, index + 6)) && code >= 0x20 && code < 0x7f
    ? [String.fromCharCode(code), 6]
    : undefined;
};

/** The characters HTML-safe JSON writers escape as `\u00XX` (`&`, `'`, `<`, `=`, `>`), by their two digits. */
const HTML_SAFE_ESCAPES = new Set(['26', '27', '3c', '3C', '3d', '3D', '3e', '3E']);
/**
 * Whether the backslash at `at` starts a JSON-escaped `//` (`\/\/`) or an HTML-safe `\u00XX`: one
 * search for backslashes finds both, where a search for each cost twice as much.
 */
const isJsonEscape = (content: string, at: number): boolean =>
  content.startsWith('/\\/', at + 1) ||
  (content.startsWith('u00', at + 1) && HTML_SAFE_ESCAPES.has(content.slice(at + 4, at + 6)));

/** A Java properties file's escapes of its separators and comment marks: `\:`, `\=`, `\ `, `\#`, `\!`, `\\`. */
const propertiesEscape: EscapeReader = (content, index, end) => {
  if (content[index] !== '\\' || index + 1 >= end) return undefined;
  const next = content[index + 1] ?? '';
  return ':= #!\\'.includes(next) ? [next, 2] : undefined;
};

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };
/** `&#x2F;`, `&#47;` or a named entity of NAMED_ENTITIES, at the start of the text it is tried on (sticky). */
const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,4})|#(\d{1,5})|(amp|quot|apos|lt|gt));/y;

/** An HTML or XML character reference of a printable ASCII character, or a named one. */
const entityEscape: EscapeReader = (content, index, end) => {
  if (content[index] !== '&') return undefined;
  ENTITY.lastIndex = index;
  const match = ENTITY.exec(content);
  if (!match || index + match[0].length > end) return undefined;
  const [whole, hex, decimal, name] = match;
  if (name !== undefined) return [NAMED_ENTITIES[name] ?? '', whole.length];
  const code = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
  return code >= 0x20 && code < 0x7f ? [String.fromCharCode(code), whole.length] : undefined;
};

/**
 * How a URL's `://` is written when the text around it is escaped, the files it is looked for in,
 * and how to read such a line: PHP's json_encode and other JSON writers escape `/`
 * (`https:\/\/user:…@host`), a Java properties file escapes `:` (`jdbc\:mysql\://user\:…@host`),
 * and HTML escapers write `/` as a character reference (`https:&#x2F;&#x2F;`). The credentials in
 * such a URL, and the URL itself when it is the secret (a webhook), read as they are meant once the
 * line is unescaped. Not in source code, whose URLs are written plainly: a search of every chunk
 * for each cost a scan of source code 8% of its time.
 */
const ESCAPED_URLS: readonly {
  written: string;
  files: RegExp;
  reader: EscapeReader;
  /** Whether the occurrence at `at` counts (all of them when absent). */
  counts?: (content: string, at: number) => boolean;
}[] = [
  // `\/\/`, and (not a URL's `://`, but read the same way) a value with `&`, `=`… that an HTML-safe
  // writer escaped as `\u00XX`.
  { written: '\\', files: NOT_SOURCE_CODE, reader: jsonEscape, counts: isJsonEscape },
  { written: '\\://', files: /\.properties$/i, reader: propertiesEscape },
  ...['&#x2F;&#x2F;', '&#x2f;&#x2f;', '&#47;&#47;'].map((written) => ({
    written,
    files:
      /\.(?:html?|xhtml|xml|config|jsp|aspx?|cshtml|vue|svelte|erb|hbs|mustache|twig|ejs|njk|md|txt|log|json)$/i,
    reader: entityEscape,
  })),
];

/** The forms of ESCAPED_URLS looked for in the last path's files (a file's chunks share one path). */
let urlsFor: { path: string; forms: typeof ESCAPED_URLS } | undefined;

/**
 * Every line of `content` where an escaped quote opens a value, or that holds a URL written with
 * escapes (ESCAPED_URLS, by the file's `path`), unescaped.
 */
export function escapedLines(content: string, path: string): EscapedLine[] {
  const found: EscapedLine[] = [];
  // Lines unescaped already (by their start), so that a line holding both is read once.
  const read = new Set<number>();
  for (let at = content.indexOf('\\"'); at !== -1;) {
    if (!opensValue(content, at)) {
      at = content.indexOf('\\"', at + 2);
      continue;
    }
    const start = content.lastIndexOf('\n', at) + 1;
    const newline = content.indexOf('\n', at);
    const end = newline === -1 ? content.length : newline;
    if (end - start <= MAX_LINE) {
      found.push(unescape(content, start, end));
      read.add(start);
    }
    at = newline === -1 ? -1 : content.indexOf('\\"', newline);
  }
  if (urlsFor?.path !== path) urlsFor = { path, forms: ESCAPED_URLS.filter((form) => form.files.test(path)) };
  // One search says whether the three ways of writing `//` as references need looking for.
  const references = urlsFor.forms.length > 0 && content.includes('&#');
  for (const { written, reader, counts } of urlsFor.forms) {
    if (reader === entityEscape && !references) continue;
    for (let at = content.indexOf(written); at !== -1;) {
      if (counts && !counts(content, at)) {
        at = content.indexOf(written, at + written.length);
        continue;
      }
      const start = content.lastIndexOf('\n', at) + 1;
      const newline = content.indexOf('\n', at);
      const end = newline === -1 ? content.length : newline;
      if (end - start <= MAX_LINE && !read.has(start)) {
        found.push(unescapeWith(content, start, end, reader));
        read.add(start);
      }
      at = newline === -1 ? -1 : content.indexOf(written, newline);
    }
  }
  return found;
}

function unescape(content: string, start: number, end: number): EscapedLine {
  let text = '';
  const offsets = new Int32Array(end - start + 1);
  let length = 0;
  for (let index = start; index < end; index++) {
    const char = content[index] ?? '';
    const unescaped = char === '\\' && index + 1 < end ? SIMPLE[content[index + 1] ?? ''] : undefined;
    offsets[length++] = index;
    if (unescaped === undefined) text += char;
    else {
      text += unescaped;
      index++;
    }
  }
  offsets[length] = end;
  return { text, offsets: offsets.subarray(0, length + 1) };
}

/** unescape() with the escapes `reader` reads, for the rarer lines of ESCAPED_URLS. */
function unescapeWith(content: string, start: number, end: number, reader: EscapeReader): EscapedLine {
  let text = '';
  const offsets = new Int32Array(end - start + 1);
  let length = 0;
  for (let index = start; index < end; index++) {
    const escape = reader(content, index, end);
    offsets[length++] = index;
    if (escape === undefined) text += content[index] ?? '';
    else {
      text += escape[0];
      index += escape[1] - 1;
    }
  }
  offsets[length] = end;
  return { text, offsets: offsets.subarray(0, length + 1) };
}

/** An octal escape (`\040`) or an escaped backslash, as libedit writes a history file. */
const OCTAL_ESCAPE = /\\(?:[0-3][0-7]{2}|\\)/g;

/**
 * The lines of a history file that libedit wrote (the mysql client's `.mysql_history`: `CREATE\040USER\040…
 * IDENTIFIED\040BY\040'…'`) with `\NNN` and `\\` undone, so that a statement reads as it was typed.
 */
function octalLines(content: string): EscapedLine[] {
  const found: EscapedLine[] = [];
  for (let start = 0; start < content.length;) {
    const newline = content.indexOf('\n', start);
    const end = newline === -1 ? content.length : newline;
    const line = content.slice(start, end);
    if (end - start <= MAX_LINE && line.includes('\\0')) {
      let text = '';
      const offsets = new Int32Array(line.length + 1);
      let length = 0;
      let from = 0;
      for (const match of line.matchAll(OCTAL_ESCAPE)) {
        for (let index = from; index < match.index; index++) offsets[length++] = start + index;
        text += line.slice(from, match.index);
        offsets[length++] = start + match.index;
        text += match[0] === '\\\\' ? '\\' : String.fromCharCode(parseInt(match[0].slice(1), 8));
        from = match.index + match[0].length;
      }
      for (let index = from; index < line.length; index++) offsets[length++] = start + index;
      text += line.slice(from);
      offsets[length] = end;
      found.push({ text, offsets: offsets.subarray(0, length + 1) });
    }
    start = end + 1;
  }
  return found;
}

/** `a.b.key` read as `a_b_key`, character for character. */
const underscored = (name: string): string => name.replaceAll('.', '_');
const asIs = (name: string): string => name;
/**
 * The last dotted parts of a long name that fit in the generic rules' 40 characters, as `a_b`
 * (`services.grafana.settings.security.admin_password` read as `security_admin_password`).
 */
function nameTail(name: string): string {
  const parts = name.split('.');
  let tail = parts.pop() ?? '';
  for (let part = parts.pop(); part !== undefined && tail.length + part.length < 40; part = parts.pop())
    tail = `${part}_${tail}`;
  return tail;
}

/**
 * One way of writing a name and its value apart: the files it is looked for in (by path; absent:
 * any) and text they must hold, a regex (with indices) whose groups `name` and `value` are the
 * setting's, whether the blanks that end a line are left out of the value, and how the rules should
 * read the name.
 */
type SettingForm = { files?: RegExp; holds?: string } & (
  | { pattern: RegExp; name: number; value: number; trimEnd?: boolean; rename?: (name: string) => string }
  // Rows of data read under their column, which a regex cannot tie to the header: a reader.
  | { read: (content: string, path: string) => EscapedLine[] }
);

const YAML_FILES = /\.(?:ya?ml|tpl)$/i;
/**
 * Each form is looked for only in the files that use it (by name): a search of every chunk for
 * each cost source-code scans 14% of their time. Every run of blanks in these patterns is bounded
 * or ends at a required character: test/hardening/views-linear.test.ts floods each of them.
 */
const SETTING_FORMS: readonly SettingForm[] = [
  // .NET appSettings in Web.config and App.config: `<add key="…" value="…" />`.
  {
    holds: '<add',
    pattern: /<add\s+key=(["'])([\w.:-]{1,100})\1\s+value=(["'])([^"'<>\n]{1,4096})\3/dg,
    name: 2,
    value: 4,
  },
  // `<NAME>value</NAME>` on one line in XML configs (a value with blanks is prose, not a credential).
  {
    files: /\.(?:xml|config|csproj|vbproj|fsproj|props|targets|plist|pom|xaml|resx)$/i,
    pattern: /<([A-Za-z_][\w.-]{0,100})>([^<>\s]{8,4096})<\/\1>/dg,
    name: 1,
    value: 2,
  },
  // A name element and the value element after it: Java's web.xml and context parameters
  // (`<param-name>ldap.bind.password</param-name>` `<param-value>…</param-value>`) and Hadoop's and
  // Hive's `<property><name>fs.s3a.secret.key</name><value>…</value></property>`.
  {
    files: /\.(?:xml|config)$/i,
    pattern:
      /<(param-name|name)>[ \t]{0,20}([\w.-]{1,100})[ \t]{0,20}<\/\1>\s{0,200}<(?:param-value|value)>[ \t]{0,20}([^<>\s]{1,4096})[ \t]{0,20}<\/(?:param-value|value)>/dg,
    name: 2,
    value: 3,
  },
  // A property list's `<key>Password</key>` and the `<string>` after it (macOS and iOS settings).
  {
    files: /\.plist$/i,
    pattern:
      /<key>[ \t]{0,20}([\w.-]{1,100})[ \t]{0,20}<\/key>\s{0,200}<string>[ \t]{0,20}([^<>\s]{1,4096})[ \t]{0,20}<\/string>/dg,
    name: 1,
    value: 2,
  },
  // An element named by its `name` attribute beside others: Android's string resources
  // (`<string name="openai_api_key" translatable="false">…</string>`) and similar XML settings. The
  // form without other attributes (`<string name="…">…`) the rules read as it is.
  {
    files: /\.xml$/i,
    holds: 'name=',
    pattern:
      /<([A-Za-z][\w:.-]{0,40})(?:[ \t]{1,20}[\w:.-]{1,40}=(["'])[^"'<>\n]{0,200}\2){0,5}[ \t]{1,20}name=(["'])([\w.:-]{1,100})\3(?:[ \t]{1,20}[\w:.-]{1,40}=(["'])[^"'<>\n]{0,200}\5){0,5}[ \t]{0,20}>([^<>\s]{1,4096})<\/\1>/dg,
    name: 4,
    value: 6,
  },
  // Windows answer files: `<AdministratorPassword>` or `<Password>` holding `<Value>…</Value>`
  // (plain text, or base64 with PlainText false, which is as readable).
  {
    files: /(?:^|\/)(?:auto)?unattend[\w.-]*\.xml$/i,
    pattern:
      /<((?:Administrator)?Password)>\s{0,200}<Value>[ \t]{0,20}([^<>\s]{1,4096})[ \t]{0,20}<\/Value>/dg,
    name: 1,
    value: 2,
  },
  // FileZilla's site manager and recent servers: `<Pass encoding="base64">…</Pass>` (the password, base64).
  {
    holds: '<Pass',
    pattern: /<(Pass)[ \t]{1,20}encoding="base64"[ \t]{0,20}>([A-Za-z0-9+/]{4,4096}={0,2})<\/Pass>/dg,
    name: 1,
    value: 2,
  },
  // A Dockerfile's `ENV NAME value` (the space form, one variable per instruction).
  {
    files: /(?:^|\/)(?:Dockerfile|Containerfile)(?:\.[^/]*)?$|\.(?:dockerfile|containerfile)$/i,
    pattern: /^[ \t]*ENV[ \t]+([A-Za-z_]\w{0,100})[ \t]+([^\s=][^\n]{0,4095})$/dgm,
    name: 1,
    value: 2,
    trimEnd: true,
  },
  // Kubernetes and CloudFormation `env`: `- name: NAME` with `value: …` on the next line, indented under it.
  {
    files: YAML_FILES,
    pattern:
      /^([ \t]*)-[ \t]+[Nn]ame:[ \t]*(["']?)([\w.-]{1,100})\2[ \t]*\r?\n\1[ \t]{1,8}[Vv]alue:[ \t]*(["']?)([^\s"']{1,4096})\4[ \t]*\r?$/dgm,
    name: 3,
    value: 5,
    trimEnd: true,
  },
  // A YAML block scalar holding one line: `name: >-` (or `|`) and the value indented below it.
  {
    files: YAML_FILES,
    pattern: /^([ \t]*)([\w.-]{1,100}):[ \t]*[|>][-+]?[ \t]*\r?\n\1[ \t]+([^\s#][^\n]{0,4095})$/dgm,
    name: 2,
    value: 3,
    trimEnd: true,
  },
  // A CloudFormation or SAM parameter's default: `DBPassword:` with `Default: …` among the keys
  // indented under it (up to six lines of Type, NoEcho, Description… with their values before it).
  {
    files: YAML_FILES,
    holds: 'Default:',
    pattern:
      /^([ \t]*)([\w.-]{1,100}):[ \t]*\r?\n(?:\1[ \t]{1,8}[\w-]{1,40}:[ \t]{1,8}\S[^\n]{0,200}\n){0,6}\1[ \t]{1,8}Default:[ \t]{0,8}(["']?)([^\s"'#][^\n"'#]{0,4095})/dgm,
    name: 2,
    value: 4,
    trimEnd: true,
  },
  // A Terraform or Packer variable's default: `variable "db_password" {` with `default = "…"` on its
  // line or among the settings under it (up to eight lines of type, description, sensitive… before it).
  {
    files: /\.(?:tf|hcl)$/i,
    holds: 'default',
    pattern:
      /^[ \t]*variable[ \t]+"([\w-]{1,100})"[ \t]*\{(?:[ \t]*\r?\n(?:[ \t]*(?:[\w-]{1,40}[ \t]*=[^\n]{0,200})?\r?\n){0,8})?[ \t]*default[ \t]*=[ \t]*"([^"\n]{1,4096})"/dgm,
    name: 1,
    value: 2,
  },
  // ECS task definitions, cloud app settings, Postman environments and the headers and query
  // parameters of HAR captures: `{"name": "NAME", "value": "…"}` (`"key"` in Postman's), on one
  // line or several.
  {
    files: /\.(?:json|har)$/i,
    holds: '"value"',
    pattern:
      /"(?:name|key)"\s{0,100}:\s{0,100}"([\w.-]{1,100})"\s{0,100},\s{0,100}"value"\s{0,100}:\s{0,100}"([^"\\\n]{1,4096})"/dg,
    name: 1,
    value: 2,
  },
  // An OpenAPI or Swagger parameter's filled-in example or default (openApiYamlExamples).
  { files: YAML_FILES, holds: 'name:', read: openApiYamlExamples },
  // A header set on a request in Swift and Objective-C, value first: `request.setValue("…",
  // forHTTPHeaderField: "X-API-Key")` (and addValue), `[request setValue:@"…" forHTTPHeaderField:@"…"]`.
  {
    files: /\.(?:swift|m|mm)$/i,
    holds: 'forHTTPHeaderField',
    pattern:
      /\b(?:set|add)Value[ \t]{0,20}(?:\([ \t]{0,20}|:[ \t]{0,20}@)"([^"\\\n]{1,4096})"[ \t]{0,20},?[ \t]{0,20}forHTTPHeaderField:[ \t]{0,20}@?"([\w.-]{1,100})"/dg,
    name: 2,
    value: 1,
  },
  // Go's request headers as a map of string slices: `req.Header["X-Auth-Token"] = []string{"…"}`
  // (goStringSlices), and `http.Header{"X-Api-Key": {"…"}}` in files that write a Header literal.
  { files: /\.go$/i, holds: '[]string{"', read: goStringSlices },
  {
    files: /\.go$/i,
    holds: 'Header{',
    pattern: /"([\w.-]{1,100})"[ \t]{0,20}:[ \t]{0,20}\{[ \t]{0,20}"([^"\\\n]{1,4096})"/dg,
    name: 1,
    value: 2,
  },
  // An OpenAPI parameter's example in a JSON description (openApiJsonExamples).
  { files: /\.json$/i, holds: 'example"', read: openApiJsonExamples },
  // A query parameter given to Foundation's URL components: Swift's `URLQueryItem(name: "api_key",
  // value: "…")` and Objective-C's `[NSURLQueryItem queryItemWithName:@"api_key" value:@"…"]`.
  {
    files: /\.(?:swift|m|mm)$/i,
    holds: 'QueryItem',
    pattern:
      /QueryItem(?:\([ \t]{0,20}name:|[ \t]{1,20}queryItemWithName:)[ \t]{0,20}@?"([\w.-]{1,100})"[ \t]{0,20},?\s{0,100}value:[ \t]{0,20}@?"([^"\\\n]{1,4096})"/dg,
    name: 1,
    value: 2,
  },
  // Rust's header maps: `headers.insert("x-api-key", HeaderValue::from_static("…"))` (and from_str, append).
  {
    files: /\.rs$/i,
    holds: 'HeaderValue::from_',
    pattern:
      /\.(?:insert|append)\([ \t]{0,20}"([\w.-]{1,100})"[ \t]{0,20},[ \t]{0,20}HeaderValue::from_(?:static|str)\([ \t]{0,20}"([^"\\\n]{1,4096})"/dg,
    name: 1,
    value: 2,
  },
  // A JMeter test plan's HTTP Header Manager: `<stringProp name="Header.name">X-API-Key</stringProp>`
  // and the `Header.value` after it.
  {
    files: /\.jmx$/i,
    holds: 'Header.name',
    pattern:
      /<stringProp name="Header\.name">([\w.-]{1,100})<\/stringProp>\s{0,200}<stringProp name="Header\.value">([^<>\s]{1,4096})<\/stringProp>/dg,
    name: 1,
    value: 2,
  },
  // PHP's `define('NAME', 'value')`.
  {
    files: /\.(?:php|phtml|inc)$/i,
    pattern:
      /\bdefine\(\s{0,20}(["'])([\w.-]{1,100})\1\s{0,20},\s{0,20}(["'])([^"'\n]{1,4096})\3\s{0,20}\)/dg,
    name: 2,
    value: 4,
  },
  // A Makefile's `NAME ?= value`, `NAME += value` and `NAME ::= value` (`NAME = value` the rules read as it is).
  {
    files: /(?:^|\/)(?:GNUmakefile|[Mm]akefile)$|\.mk$/,
    pattern:
      /^[ \t]*(?:export[ \t]+|override[ \t]+)?([A-Za-z_][\w.-]{0,100})[ \t]*(?:\?=|\+=|::=)[ \t]*([^\s#][^\n#]{0,4095})$/dgm,
    name: 1,
    value: 2,
    trimEnd: true,
  },
  // black's wrapping of a long assignment: `NAME = (`, the quoted value alone on the next line, `)`.
  {
    files: /\.pyi?$/i,
    pattern:
      /^[ \t]*([A-Za-z_][\w.]{0,100})[ \t]*=[ \t]*\([ \t]*\r?\n[ \t]*[rbuRBU]?(["'])([^"'\n]{1,4096})\2[ \t]*(?:,[ \t]*)?\r?\n[ \t]*\)/dgm,
    name: 1,
    value: 3,
  },
  // `a.b.key=value` in Java properties files, whose names the rules read as `a_b_key`.
  {
    files: /\.properties$/i,
    pattern: /^[ \t]*([A-Za-z][\w-]*(?:\.[\w-]+)+)[ \t]*[=:][ \t]*(\S[^\n]{0,4095})$/dgm,
    name: 1,
    value: 2,
    trimEnd: true,
    rename: underscored,
  },
  // A long dotted name and its value (NixOS options, HOCON, Java properties): the generic rules
  // look for their word within a name's first 40 characters, so a name of more is read again by
  // its last parts (`services.grafana.settings.security.admin_password = "…";`). Where the whole
  // name is read too, the longer match is kept.
  {
    files: /\.(?:nix|conf|hocon|properties)$/i,
    pattern:
      /^[ \t]*(?=[\w.-]{41})([A-Za-z_][\w-]*(?:\.[\w-]+){2,30})[ \t]*[=:][ \t]*(["']?)([^\s"';]{1,4096})\2/dgm,
    name: 1,
    value: 3,
    rename: nameTail,
  },
  // Spark's spark-defaults.conf: a property, blanks and its value (`spark.hadoop.fs.s3a.secret.key  …`),
  // read as `spark_hadoop_fs_s3a_secret_key`. The file is loaded as Java properties, so `=` and `:`
  // separate too; those lines the rules read as they are.
  {
    files: /(?:^|\/)spark-defaults\.conf$/i,
    pattern: /^[ \t]*(spark\.[\w-]+(?:\.[\w-]+)*)[ \t]+([^\s#=:][^\n]{0,4095})$/dgm,
    name: 1,
    value: 2,
    trimEnd: true,
    rename: underscored,
  },
  // `NAME value` set by a directive: fish's `set -gx NAME value`, Apache's `SetEnv NAME value`,
  // nginx's `fastcgi_param NAME value;` (and uwsgi/scgi), and the header nginx sends upstream
  // (`proxy_set_header X-Api-Key value;`, and grpc's).
  {
    files: /\.(?:fish|conf|htaccess)$|(?:^|\/)\.htaccess$/i,
    pattern:
      /^[ \t]*(?:set(?:[ \t]+-[A-Za-z]+)*|SetEnv|(?:fastcgi|uwsgi|scgi)_param|(?:proxy|grpc)_set_header)[ \t]+([A-Za-z_][\w.-]{0,100})[ \t]+(["']?)([^\s"';]{1,4096})\2[ \t]*(?:;[ \t]*)?\r?$/dgm,
    name: 1,
    value: 3,
  },
  // C and C++ headers' `#define NAME "value"` (Arduino sketches keep their keys so), and Objective-C's
  // `#define NAME @"value"`.
  {
    files: /\.(?:h|hh|hpp|hxx|c|cc|cpp|cxx|ino|pde|m|mm|pch)$/i,
    pattern: /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w{0,100})[ \t]+(?:u8|[LuU@])?(["'])([^"'\n]{1,4096})\2/dgm,
    name: 1,
    value: 3,
  },
  // Erlang's settings and macros: a sys.config's `{db_password, "…"}` (or a binary, `<<"…">>`) and
  // `-define(API_SECRET, "…").` in modules and headers.
  {
    files: /\.(?:erl|hrl|escript|config|app\.src|config\.src)$/i,
    pattern:
      /(?:\{|-define\()[ \t]{0,20}([A-Za-z_][\w@]{0,100})[ \t]{0,20},[ \t]{0,20}(?:<<)?"([^"\n]{1,4096})"/dg,
    name: 1,
    value: 2,
  },
  // Objective-C's string literals: `NSString *const kApiKey = @"value";`.
  {
    files: /\.(?:h|m|mm|pch)$/i,
    pattern: /([A-Za-z_]\w{0,100})[ \t]*=[ \t]*@"([^"\n]{1,4096})"/dg,
    name: 1,
    value: 2,
  },
  // A property placeholder's default in JVM code: Spring's `@Value("${jwt.secret:…}")` (and
  // Micronaut's), used when the property is not set, so as committed as a literal. Properties and
  // YAML files the rules read as they are; in code the value is inside a string.
  {
    files: /\.(?:java|kt|kts|groovy|scala)$/i,
    holds: '${',
    pattern: /"\$\{([A-Za-z_][\w.-]{0,100}):([^\s"'{}]{1,4096})\}"/dg,
    name: 1,
    value: 2,
    rename: underscored,
  },
  // Groovy's setter call without parentheses in Gradle build files: `storePassword "…"`, `keyPassword '…'`
  // in a signing config (Kotlin's build.gradle.kts writes `storePassword = "…"`, which the rules read).
  {
    files: /\.gradle$/i,
    pattern: /^[ \t]*([A-Za-z_]\w{0,100})[ \t]{1,20}(["'])([^"'\n]{1,4096})\2[ \t]*\r?$/dgm,
    name: 1,
    value: 3,
  },
  // Android's `buildConfigField "String", "NAME", "\"value\""` and `resValue "string", "name", "value"`.
  {
    files: /\.gradle(?:\.kts)?$/i,
    pattern:
      /\b(?:buildConfigField|resValue)[ \t(]+(["'])\w+\1[ \t]*,[ \t]*(["'])([\w.-]{1,100})\2[ \t]*,[ \t]*(["'])(?:\\")?([^"'\\\n]{1,4096})(?:\\")?\4/dg,
    name: 3,
    value: 5,
  },
  // IPython's `%env NAME value` (and `%set_env`) in a notebook cell, whose lines are JSON strings:
  // the value ends at the escaped line break. `%env NAME=value` the rules read as it is.
  {
    files: /\.ipynb$/i,
    holds: 'env ',
    pattern: /%(?:set_)?env[ \t]{1,20}([A-Za-z_]\w{0,100})[ \t]{1,20}([^\s"'\\=][^\s"'\\]{0,4095})/dg,
    name: 1,
    value: 2,
  },
  // Each string of a JSON array under a plural key or token name: Open WebUI's `"api_keys": ["…", "…"]` (arrayValues).
  { files: /\.json$/i, read: arrayValues },
  // SQL INSERT values under a password, secret, token or key column (insertedValues).
  { files: /\.sql$/i, read: insertedValues },
  // pg_dump's COPY rows under such a column (copiedValues).
  { files: /\.sql$/i, holds: ' FROM stdin;', read: copiedValues },
  // The mysql client's history, which writes a space as `\040` (octalLines).
  { files: /(?:^|\/)\.(?:mysql|mariadb)_history$/, holds: '\\0', read: octalLines },
  // CSV and TSV cells under a header that names such a column (tableValues).
  { files: /\.(?:csv|tsv)$/i, read: tableValues },
  // PowerShell's Name/Value table (`Get-ChildItem env:`, a hashtable) pasted into a log or a note
  // (nameValueRows): its dashes line is `----` and blanks. Only in the files output is kept in (text,
  // logs, notes, files without an extension): a search of every chunk for it cost source code 3%.
  {
    files: /\.(?:txt|log|out|md|markdown|rst|adoc)$|(?:^|\/)[^./]+$/i,
    holds: '---- ',
    read: nameValueRows,
  },
  // Subversion's credential cache (`~/.subversion/auth/svn.simple/<md5>`), a hash dump of `K <length>`
  // and `V <length>` lines: the line after `password`'s `V` line is the password, in plain text.
  {
    files: /(?:^|\/)svn\.simple\/[0-9a-f]{32}$/,
    pattern: /^K[ \t]\d{1,3}\r?\n(password)\r?\nV[ \t]\d{1,5}\r?\n([^\r\n]{1,4096})$/dgm,
    name: 1,
    value: 2,
    trimEnd: true,
  },
  // Composer's auth.json: `"bearer": {"repo.example.com": "…"}`, a token per host, read as `bearer_token`.
  {
    files: /(?:^|\/)auth\.json$/,
    holds: '"bearer"',
    pattern:
      /"(bearer)"\s{0,100}:\s{0,100}\{\s{0,100}"[^"\\\n]{1,200}"\s{0,100}:\s{0,100}"([^"\\\n]{1,4096})"/dg,
    name: 1,
    value: 2,
    rename: () => 'bearer_token',
  },
  // A Postman collection's API-key auth: `"apikey": [{"key": "value", "value": "…"}, {"key": "key", …}]`,
  // whose entries name the header and hold the key (the entry `"key": "value"` may come second).
  {
    files: /\.json$/i,
    holds: '"apikey"',
    pattern:
      /"(apikey)"\s{0,100}:\s{0,100}\[(?:\s{0,100}\{[^{}]{0,1000}\},)?\s{0,100}\{\s{0,100}"key"\s{0,100}:\s{0,100}"value"\s{0,100},\s{0,100}"value"\s{0,100}:\s{0,100}"([^"\\\n]{1,4096})"/dg,
    name: 1,
    value: 2,
  },
  // Codecov's upload token where its name is a level up: `codecov:` with `token: …` among the keys
  // under it in codecov.yml, and `uses: codecov/codecov-action@…` with `token: …` among its step's
  // keys in a workflow (a line that starts another step ends the step). Read as `codecov_token`.
  {
    files: /(?:^|\/)\.?codecov\.ya?ml$/,
    pattern:
      /^(codecov):[ \t]*\r?\n(?:[ \t]{1,12}[\w-]{1,40}:[^\n]{0,200}\n){0,10}?[ \t]{1,12}token:[ \t]*(["']?)([^\s"'#]{1,4096})\2/dgm,
    name: 1,
    value: 3,
    rename: () => 'codecov_token',
  },
  {
    files: /(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/,
    holds: 'codecov/codecov-action',
    pattern:
      /uses:[ \t]*["']?(codecov)\/codecov-action@[^\n]{0,100}\n(?:[ \t]{0,40}[\w-]{1,40}:[^\n]{0,400}\n){0,12}?[ \t]{1,40}token:[ \t]*(["']?)([^\s"'#]{1,4096})\2/dg,
    name: 1,
    value: 3,
    rename: () => 'codecov_token',
  },
  // The Snyk CLI's configstore/snyk.json, which keeps the token `snyk auth` was given as "api".
  {
    files: /(?:^|\/)configstore\/snyk\.json$/,
    pattern: /"(api)"\s{0,100}:\s{0,100}"([^"\\\n]{1,4096})"/dg,
    name: 1,
    value: 2,
    rename: () => 'snyk_token',
  },
  // GitLab CI's prefilled variables: `NAME:` with `value: …` among the keys under it (`description:`,
  // `options:`, `expand:`), in .gitlab-ci.yml and the files it includes.
  {
    files: /(?:^|\/)(?:\.?gitlab-ci|[\w.-]+\.gitlab-ci)\.ya?ml$|(?:^|\/)\.gitlab\/.+\.ya?ml$/,
    holds: 'value:',
    pattern:
      /^([ \t]*)([\w.-]{1,100}):[ \t]*\r?\n(?:\1[ \t]{1,8}[\w-]{1,40}:[ \t]{1,8}\S[^\n]{0,200}\n){0,4}\1[ \t]{1,8}value:[ \t]{0,8}(["']?)([^\s"'#][^\n"'#]{0,4095})/dgm,
    name: 2,
    value: 4,
    trimEnd: true,
  },
  // A CI parameter's or workflow input's default: `api_token:` with `default: …` among the keys under
  // it (CircleCI pipeline and command parameters, GitHub Actions workflow_dispatch and action inputs).
  {
    files:
      /(?:^|\/)\.circleci\/[^/]+\.ya?ml$|(?:^|\/)\.github\/(?:workflows\/[^/]+|(?:[^/]+\/)*action)\.ya?ml$/,
    holds: 'default:',
    pattern:
      /^([ \t]*)([\w.-]{1,100}):[ \t]*\r?\n(?:\1[ \t]{1,8}[\w-]{1,40}:[ \t]{1,8}\S[^\n]{0,200}\n){0,4}\1[ \t]{1,8}default:[ \t]{0,8}(["']?)([^\s"'#][^\n"'#]{0,4095})/dgm,
    name: 2,
    value: 4,
    trimEnd: true,
  },
  // A Jenkins pipeline's parameters: `password(name: 'DB_PASSWORD', defaultValue: '…')` (and string,
  // text), whose default is written into the Jenkinsfile.
  {
    files: /(?:^|\/)Jenkinsfile[^/]*$|\.(?:groovy|jenkinsfile)$/i,
    holds: 'defaultValue',
    pattern:
      /\b(?:password|string|text)[ \t]{0,20}\([ \t]{0,20}name:[ \t]{0,20}(["'])([\w.-]{1,100})\1[ \t]{0,20},(?:[ \t]{0,20}\w{1,40}:[ \t]{0,20}(?:"[^"\n]{0,200}"|'[^'\n]{0,200}'|\w{1,40})[ \t]{0,20},){0,4}[ \t]{0,20}defaultValue:[ \t]{0,20}(["'])([^"'\n]{1,4096})\3/dg,
    name: 2,
    value: 4,
  },
  // psql's `\setenv PGPASSWORD '…'` in a `.psqlrc`, which sets the variable for the session.
  {
    files: /(?:^|\/)\.psqlrc(?:-[\w.]+)?$/,
    pattern:
      /^[ \t]*\\setenv[ \t]{1,20}([A-Za-z_]\w{0,100})[ \t]{1,20}(["']?)([^\s"']{1,4096})\2[ \t]*\r?$/dgm,
    name: 1,
    value: 3,
  },
  // A URL whose password is a shell default, `://user:${PGPASS:-…}@host` (urlDefaultViews): in any
  // file but source code, whose languages do not write `${NAME:-…}` (a search of each source file
  // for it cost source-code scans 2% of their time).
  { files: NOT_SOURCE_CODE, holds: ':${', read: urlDefaultViews },
];

/**
 * A name and its value as a call's first two arguments: `setProperty("lob.api.key", "…")`,
 * `os.getenv("LOB_API_KEY", "…")`, `os.environ.setdefault(…)`, `ENV.fetch(…)`, `map.put(…)`; the
 * value as the default a settings library falls back to, given by keyword (django-environ's and
 * python-decouple's `env("SECRET_KEY", default="…")`, `config(…)`) or, in Ruby, as the block of
 * `ENV.fetch("DB_PASSWORD") { "…" }`.
 */
const CALL_ARGUMENTS =
  /\((["'])([A-Za-z_][\w.-]{0,100})\1(?:[ \t]{0,20},[ \t]{0,20}(?:default[ \t]{0,20}=[ \t]{0,20})?|[ \t]{0,20}\)[ \t]{0,20}\{[ \t]{0,20})(["'])([^"'\n]{1,4096})\3/dy;
/** A quoted default after `||` or `??` (`process.env.LOB_API_KEY || "…"`). */
const OR_DEFAULT = /[ \t]{0,20}(?:\|\||\?\?)[ \t]{0,20}(["'])([^"'\n]{1,4096})\1/dy;
/**
 * A value given after the name's type: `LOB_API_KEY: str = "…"` (Python), `lobApiKey: string = "…"`
 * (TypeScript), `val lobApiKey: String = "…"` (Kotlin, Swift, Scala), `const LOB_API_KEY: &str = "…"` (Rust).
 */
const TYPED_VALUE =
  /[ \t]{0,20}:[ \t]{0,20}[\w&<>[\]?.|,]{1,60}[ \t]{0,20}=[ \t]{0,20}(["'`])([^"'`\n]{1,4096})\1/dy;
/** Go's `var lobApiKey string = "…"`: the type after the name, without a colon. */
const GO_TYPED_VALUE = /[ \t]{1,20}[\w.*[\]]{1,40}[ \t]{0,20}=[ \t]{0,20}(["'`])([^"'`\n]{1,4096})\1/dy;
/**
 * The first three arguments of a call named for a provider (`new FlickrClient("…")`,
 * `shodan.Shodan("…")`, `new Flickr("…", "…", new REST())`): each a quoted literal of 8 characters
 * or more without blanks (what a key can be; log messages and prompts are not read) or a plain
 * expression (a name, a member, a number); a literal's quote and text are groups 1-2, 3-4 and 5-6.
 */
const CALL_LITERALS =
  /\([ \t]{0,20}(?:(["'`])([^\s"'`\\]{8,4096})\1|[\w.$]{1,100})(?:[ \t]{0,20},[ \t]{0,20}(?:(["'`])([^\s"'`\\]{8,4096})\3|[\w.$]{1,100})(?:[ \t]{0,20},[ \t]{0,20}(["'`])([^\s"'`\\]{8,4096})\5)?)?/dy;
/**
 * What a literal passed to a provider's client is read as: the first argument its key or token
 * (the SDKs' convention), a later one also its secret (`Flickr(key, secret)`, `Client(sid, token)`).
 * Never the first as a secret: a public key comes first where a secret follows (Pusher's).
 */
/** Character codes of `"`, `'`, `` ` ``, `)` and a line break. */
const [QUOTE, APOSTROPHE, BACKTICK, CLOSE, NEWLINE] = [0x22, 0x27, 0x60, 0x29, 0x0a] as const;
const FIRST_ARGUMENT = ['_key', '_token'] as const;
const KEY_CHARACTER = /[0-9A-Z]/;
const LATER_ARGUMENT = ['_key', '_token', '_secret'] as const;
/** How far around a keyword a call's opening or a default's operator is looked for. */
const NAME_REACH = 100;

type Span = readonly [start: number, end: number];

/**
 * `name = "value"`, read from where a name and its value are written apart; the offsets map the
 * value's characters to their place in the chunk, the name's to the name's, and the operator and
 * quotes to the value's start and end.
 */
function assignmentView(
  content: string,
  [nameStart, nameEnd]: Span,
  [valueStart, valueEnd]: Span,
  rename: (name: string) => string,
): EscapedLine {
  const name = rename(content.slice(nameStart, nameEnd));
  const text = `${name} = "${content.slice(valueStart, valueEnd)}"`;
  const offsets = new Int32Array(text.length + 1);
  let at = 0;
  // A name read as another of a different length (`bearer` as `bearer_token`) stands at the name's start.
  if (name.length === nameEnd - nameStart)
    for (let index = nameStart; index < nameEnd; index++) offsets[at++] = index;
  else for (let count = 0; count < name.length; count++) offsets[at++] = nameStart;
  for (let count = 0; count < 4; count++) offsets[at++] = valueStart;
  for (let index = valueStart; index < valueEnd; index++) offsets[at++] = index;
  offsets[at++] = valueEnd;
  offsets[at] = valueEnd;
  return { text, offsets };
}

/** The view of each match of a form's pattern. */
function viewsOf(
  content: string,
  { pattern, name, value, trimEnd = false, rename = asIs }: Extract<SettingForm, { pattern: RegExp }>,
): EscapedLine[] {
  const found: EscapedLine[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(content); match; match = pattern.exec(content)) {
    const nameSpan = match.indices?.[name];
    const valueSpan = match.indices?.[value];
    if (!nameSpan || !valueSpan) continue;
    const [valueStart] = valueSpan;
    let valueEnd = valueSpan[1];
    while (trimEnd && valueEnd > valueStart && ' \t\r'.includes(content[valueEnd - 1] ?? '')) valueEnd--;
    found.push(assignmentView(content, nameSpan, [valueStart, valueEnd], rename));
  }
  return found;
}

const isNameAt = (content: string, at: number): boolean => NAME_CHARS[content.charCodeAt(at)] === 1;

/**
 * Names and values in code, found from where a name's keyword occurs (`hits`: offsets of keywords
 * of the provider rules): the call whose first argument is the quoted name holding it
 * (`setProperty("lob.api.key", "…")`, `os.getenv("LOB_API_KEY", "…")`), a quoted default after
 * the name (`process.env.LOB_API_KEY || "…"`), and a value after the name's type (`: str = "…"`).
 * Only the name around each keyword is read: looking at every `(` and `||` of source code instead
 * cost 7% of its scan time. The literals passed to a call named for a provider are read for
 * `providerHits`, the offsets of keywords that name a provider (providerCallViews).
 */
export function namedInCode(
  content: string,
  hits: Iterable<number>,
  providerHits: ReadonlySet<number> = new Set(),
): EscapedLine[] {
  const found: EscapedLine[] = [];
  const seen = new Set<number>();
  const called = new Set<number>();
  for (const hit of hits) {
    let start = hit;
    while (start > 0 && hit - start < NAME_REACH && isNameAt(content, start - 1)) start--;
    let end = hit;
    while (end < content.length && end - hit < NAME_REACH && isNameAt(content, end)) end++;
    const quote = content[start - 1];
    const call = (quote === '"' || quote === "'") && content[start - 2] === '(';
    const next = content[end] ?? '';
    // A call named for a provider (a keyword that names one, in `providerHits`), read once.
    if (!call && next === '(') {
      if (providerHits.has(hit) && !called.has(start)) {
        called.add(start);
        providerCallViews(content, [start, end], found);
      }
      continue;
    }
    // Neither a quoted first argument nor a name followed by an operator, a type or a blank: the
    // common case, at once.
    if (!call && next !== ' ' && next !== '\t' && next !== '|' && next !== '?' && next !== ':') continue;
    if (seen.has(start)) continue;
    seen.add(start);
    if (call) {
      CALL_ARGUMENTS.lastIndex = start - 2;
      const match = CALL_ARGUMENTS.exec(content);
      const [name, value] = [match?.indices?.[2], match?.indices?.[4]];
      if (name && value) found.push(assignmentView(content, name, value, underscored));
      continue;
    }
    // Every run here is bounded: a flood of blanks after a name must cost no more than a name.
    let operator = end;
    while (operator - end < 20 && (content[operator] === ' ' || content[operator] === '\t')) operator++;
    const pair = content.slice(operator, operator + 2);
    const after =
      pair === '||' || pair === '??'
        ? OR_DEFAULT
        : pair[0] === ':' && pair !== '::'
          ? TYPED_VALUE
          : operator > end && isNameAt(content, operator)
            ? GO_TYPED_VALUE
            : undefined;
    if (!after) continue;
    after.lastIndex = end;
    const value = after.exec(content)?.indices?.[2];
    if (value) found.push(assignmentView(content, [start, end], value, asIs));
  }
  return found;
}

/**
 * The literals passed to a call whose name holds a provider's keyword, each as
 * `<call>_key = "…"` (and `_token`, `_secret` as FIRST_ARGUMENT and LATER_ARGUMENT say) for the
 * provider rules alone: the rule's name and value shape decide, as for an assignment.
 */
function providerCallViews(content: string, callee: Span, found: EscapedLine[]): void {
  // Most calls pass no literal (`sourceCode.getTokenBefore(node)`): a quote before the call's
  // end or its line's is looked for first, by character code, which costs less than the regex.
  const limit = Math.min(content.length, callee[1] + 300);
  let char = 0;
  for (let at = callee[1] + 1; at < limit; at++) {
    char = content.charCodeAt(at);
    if (char === QUOTE || char === APOSTROPHE || char === BACKTICK || char === CLOSE || char === NEWLINE)
      break;
  }
  if (char !== QUOTE && char !== APOSTROPHE && char !== BACKTICK) return;
  CALL_LITERALS.lastIndex = callee[1];
  const indices = CALL_LITERALS.exec(content)?.indices;
  if (!indices) return;
  for (const [argument, group] of [2, 4, 6].entries()) {
    const value = indices[group];
    // A key has a digit or a capital; words and names in lower case (`tokens.push("method")`) are
    // not read, which spares each a view's scan.
    if (!value || !KEY_CHARACTER.test(content.slice(value[0], value[1]))) continue;
    for (const suffix of argument === 0 ? FIRST_ARGUMENT : LATER_ARGUMENT)
      found.push({ ...assignmentView(content, callee, value, (name) => name + suffix), providerOnly: true });
  }
}

/**
 * Settings whose name and value are written apart (SETTING_FORMS), as `name = "value"` for the
 * rules that key on a name beside its value.
 */
export function settingViews(content: string, path: string): EscapedLine[] {
  if (formsFor?.path !== path)
    formsFor = { path, forms: SETTING_FORMS.filter((form) => form.files?.test(path) ?? true) };
  const found: EscapedLine[] = [];
  // Appended one by one: a chunk can hold more settings than a call's arguments can (`push(...views)`
  // threw on a dump's hundred thousand rows).
  for (const form of formsFor.forms)
    if (form.holds === undefined || content.includes(form.holds))
      for (const view of 'read' in form ? form.read(content, path) : viewsOf(content, form)) found.push(view);
  return found;
}

/**
 * An OpenAPI or Swagger parameter's filled-in example or default: `- name: X-API-Key` (or `in:` and
 * a key or two before `name:`) with `example:`, `x-example:` or `default:` among the keys under it,
 * its `schema:`'s included (up to eight lines of them before it).
 */
const OPENAPI_YAML_PARAMETER: Extract<SettingForm, { pattern: RegExp }> = {
  pattern:
    /^([ \t]*)-[ \t]+(?:[\w-]{1,40}:[^\n]{0,200}\r?\n\1[ \t]{1,8}){0,3}name:[ \t]*(["']?)([\w.-]{1,100})\2[ \t]*\r?\n(?:\1[ \t]{1,8}[\w$-]{1,40}:[^\n]{0,200}\r?\n){0,8}?\1[ \t]{1,8}(?:x-)?(?:example|default):[ \t]{0,8}(["']?)([^\s"'#][^\n"'#]{0,4095})/dgm,
  name: 3,
  value: 5,
  trimEnd: true,
};

/**
 * OpenAPI and Swagger parameters' examples in a YAML description (OPENAPI_YAML_PARAMETER), in
 * files that name either (every description starts with its `openapi:` or `swagger:` version): the
 * parameter's regex tried at every list item of every YAML file cost a Kubernetes manifest a fifth
 * of its scan time.
 */
function openApiYamlExamples(content: string): EscapedLine[] {
  const described = content.includes('openapi') || content.includes('swagger');
  return described ? viewsOf(content, OPENAPI_YAML_PARAMETER) : [];
}

/** A JSON parameter's `"example"` (or `"x-example"`) and its string, from the member's quote. */
const JSON_EXAMPLE = /"(?:x-)?example"\s{0,100}:\s{0,100}"([^"\\\n]{1,4096})"/dy;
/**
 * The parameter's `"name"` before its example, with up to five other members of the parameter
 * between them (`"in"`, `"required"`, a `"schema"` object…), ending where the example starts.
 */
const JSON_PARAMETER_NAME =
  /"name"\s{0,100}:\s{0,100}"([\w.-]{1,100})"\s{0,100},(?:\s{0,100}"(?:in|required|description|type|schema|style|deprecated)"\s{0,100}:\s{0,100}(?:"[^"\\\n]{0,200}"|true|false|\{[^{}]{0,200}\})\s{0,100},){0,5}\s{0,100}$/d;
/** How far before an example its parameter's name is looked for. */
const PARAMETER_REACH = 800;

/**
 * An OpenAPI parameter's example in a JSON description: `{"name": "X-API-Key", "in": "header",
 * "example": "…"}`. Read backwards from each example: a regex that tried every `"name"` of a
 * description full of parameters cost a dense one half its scan time.
 */
function openApiJsonExamples(content: string): EscapedLine[] {
  const found: EscapedLine[] = [];
  if (!content.includes('"openapi"') && !content.includes('"swagger"')) return found;
  for (let at = content.indexOf('example"'); at !== -1; at = content.indexOf('example"', at + 8)) {
    const quote = content[at - 1] === '"' ? at - 1 : content.startsWith('"x-', at - 3) ? at - 3 : -1;
    if (quote === -1) continue;
    JSON_EXAMPLE.lastIndex = quote;
    const value = JSON_EXAMPLE.exec(content)?.indices?.[1];
    if (!value) continue;
    const from = Math.max(0, quote - PARAMETER_REACH);
    const name = JSON_PARAMETER_NAME.exec(content.slice(from, quote))?.indices?.[1];
    if (name) found.push(assignmentView(content, [from + name[0], from + name[1]], value, asIs));
  }
  return found;
}

/** A Go slice of strings and its first string, from the slice's `[`. */
const GO_SLICE = /\[\]string\{[ \t]{0,20}"([^"\\\n]{1,4096})"/dy;
/**
 * Go's headers and query values as maps of string slices, each slice's first string under its
 * name: `req.Header["X-Auth-Token"] = []string{"…"}`, `url.Values{"api_key": []string{"…"}}`. Read
 * backwards from each `[]string{"`, by character: a regex that looked for a name at every bracket
 * and comma cost Go sources a seventh of their scan time.
 */
function goStringSlices(content: string): EscapedLine[] {
  const found: EscapedLine[] = [];
  const blankBefore = (at: number): number => {
    let before = at;
    while (before >= 0 && at - before < 20 && (content[before] === ' ' || content[before] === '\t')) before--;
    return before;
  };
  for (let at = content.indexOf('[]string{"'); at !== -1; at = content.indexOf('[]string{"', at + 10)) {
    // What the slice is given to, read backwards by character: `["NAME"] =` or `"NAME":`.
    let before = blankBefore(at - 1);
    const indexed = content[before] === '=';
    if (!indexed && content[before] !== ':') continue;
    before = blankBefore(before - 1);
    if (indexed && content[before--] !== ']') continue;
    if (content[before] !== '"') continue;
    const nameEnd = before;
    while (before > 0 && nameEnd - before <= 100 && isNameAt(content, before - 1)) before--;
    if (before === nameEnd || content[before - 1] !== '"' || (indexed && content[before - 2] !== '['))
      continue;
    GO_SLICE.lastIndex = at;
    const value = GO_SLICE.exec(content)?.indices?.[1];
    if (value) found.push(assignmentView(content, [before, nameEnd], value, asIs));
  }
  return found;
}

/**
 * A JSON member whose name ends in keys or tokens, up to its array's `[`. Not secrets or passwords:
 * arrays so named list the names of secrets (Compose's `secrets: [db_password]`), the values a
 * scanner's allowlist lets pass, or word lists.
 */
const SECRET_ARRAY = /"([\w.-]{0,80}(?:[kK]eys|KEYS|[tT]okens|TOKENS))"[ \t]{0,20}:[ \t]{0,20}\[/dg;
const SECRET_ARRAY_END = /(?:[kK]eys|KEYS|[tT]okens|TOKENS)"[ \t]{0,20}:[ \t]{0,20}\[/;
const ARRAY_NAME_ENDS = ['eys"', 'EYS"', 'okens"', 'OKENS"'];
/** One string of the array and what follows it: `,` for another, `]` for the end. */
const ARRAY_STRING = /\s{0,200}"([^"\\\n]{0,4096})"\s{0,200}([,\]])/dy;
/** Strings read of one array at most: a list of keys is short; a long one is data. */
const ARRAY_VIEWS_LIMIT = 100;

/**
 * The strings of a JSON array under a plural key or token name (`"api_keys": ["…", "…"]`, as Open
 * WebUI's and LiteLLM's configurations list keys), each as `api_keys = "…"` for the rules that key
 * on a name beside its value. An array that holds anything but strings ends the reading.
 */
function arrayValues(content: string): EscapedLine[] {
  const found: EscapedLine[] = [];
  // Most JSON holds no such array: SECRET_ARRAY, which tries a name at every quote, runs only
  // where its end does occur (it cost a scan of JSON-heavy sources more than any rule).
  if (!ARRAY_NAME_ENDS.some((end) => content.includes(end)) || !SECRET_ARRAY_END.test(content)) return found;
  SECRET_ARRAY.lastIndex = 0;
  for (let match = SECRET_ARRAY.exec(content); match; match = SECRET_ARRAY.exec(content)) {
    const name = match.indices?.[1];
    if (!name) continue;
    ARRAY_STRING.lastIndex = SECRET_ARRAY.lastIndex;
    for (let count = 0; count < ARRAY_VIEWS_LIMIT; count++) {
      const item = ARRAY_STRING.exec(content);
      const value = item?.indices?.[1];
      if (!item || !value) break;
      // An empty string keeps its place (a key left unset beside one that is set).
      if (value[1] > value[0]) found.push(assignmentView(content, name, value, asIs));
      if (item[2] === ']') break;
    }
  }
  return found;
}

/** A header cell naming a column of secrets: the whole cell, as exports and seed files name them. */
const SECRET_HEADER =
  /^(?:[\w ]{0,24}[ _-])?(?:password|passwd|pwd|pass|secret|secret[ _-]?key|api[ _-]?key|api[ _-]?token|access[ _-]?token|auth[ _-]?token|token|client[ _-]?secret|private[ _-]?key)$/i;
/** A header cell: a name, not a value (a row of data read as a header must not name columns). */
const HEADER_CELL = /^[A-Za-z_][\w .-]{0,40}$/;
/**
 * Views of a table's cells at most, as a rule's matches in a chunk are bounded (scan.ts): a dump of
 * a hundred thousand accounts is reported by its first thousand, not held whole in memory.
 */
const TABLE_VIEWS_LIMIT = 1000;

/** The cells of the line at `from`, as spans without their quotes, and where the next line starts. */
function tableRow(content: string, from: number, separator: string): { cells: Span[]; next: number } {
  const cells: Span[] = [];
  let at = from;
  for (;;) {
    let start = at;
    let end: number;
    if (content[at] === '"') {
      start = at + 1;
      at = start;
      // `""` stays inside a quoted cell, as do separators and line breaks.
      while (at < content.length && (content[at] !== '"' || content[at + 1] === '"'))
        at += content[at] === '"' ? 2 : 1;
      end = at;
      at++;
      while (at < content.length && content[at] !== separator && content[at] !== '\n') at++;
    } else {
      while (at < content.length && content[at] !== separator && content[at] !== '\n') at++;
      end = at > start && content[at - 1] === '\r' ? at - 1 : at;
    }
    cells.push([start, end]);
    if (at >= content.length || content[at] === '\n') return { cells, next: at + 1 };
    at++;
  }
}

/**
 * The cells of a CSV or TSV table under a header that names a column of secrets (`username,
 * password,role`), as `password = "cell"` for the rules that key on a name beside its value:
 * exports of service accounts and seed files. Only a first line whose every cell is a name is a
 * header, so a chunk of added rows (a history scan's) does not read a row as one.
 */
function tableValues(content: string, path: string): EscapedLine[] {
  const found: EscapedLine[] = [];
  const lineEnd = content.indexOf('\n');
  const firstLine = content.slice(0, lineEnd === -1 ? content.length : lineEnd);
  const separator = path.toLowerCase().endsWith('.tsv')
    ? '\t'
    : firstLine.split(';').length > firstLine.split(',').length
      ? ';'
      : ',';
  const header = tableRow(content, 0, separator);
  const names = header.cells.map(([start, end]) => content.slice(start, end).trim());
  if (!names.every((name) => HEADER_CELL.test(name))) return found;
  const wanted = names.map((name) => SECRET_HEADER.test(name));
  if (!wanted.includes(true)) return found;
  for (let at = header.next; at < content.length && found.length < TABLE_VIEWS_LIMIT;) {
    const row = tableRow(content, at, separator);
    row.cells.forEach(([start, end], column) => {
      const name = header.cells[column];
      if (wanted[column] && name && end > start)
        found.push(assignmentView(content, name, [start, end], asIs));
    });
    at = row.next;
  }
  return found;
}

/** PowerShell's header of a Name/Value table and the dashes under it; the rows start after it. */
const NAME_VALUE_HEADER = /^Name[ \t]{1,200}Value[ \t]{0,200}\r?\n-{4}[ \t]{1,200}-{5}[ \t]{0,200}\r?$/gm;
/** One row: the name (`CommonProgramFiles(x86)` too), two blanks or more, the value up to the blanks that end the line. */
const NAME_VALUE_ROW = /([A-Za-z_]\S{0,100})[ \t]{2,200}(\S[^\r\n]{0,4095})/dy;

/**
 * The rows of PowerShell's table of names and values (`Get-ChildItem env:`, `Get-Variable`, a
 * hashtable written out), as `NAME = "value"` for the rules that key on a name beside its value:
 * output pasted into a log, an issue or a note holds the environment of the machine it ran on.
 * A blank line, or a line that is not a row, ends the table.
 */
function nameValueRows(content: string): EscapedLine[] {
  const found: EscapedLine[] = [];
  NAME_VALUE_HEADER.lastIndex = 0;
  for (let header = NAME_VALUE_HEADER.exec(content); header; header = NAME_VALUE_HEADER.exec(content)) {
    let at = content.indexOf('\n', NAME_VALUE_HEADER.lastIndex) + 1;
    while (at > 0 && at < content.length && found.length < TABLE_VIEWS_LIMIT) {
      NAME_VALUE_ROW.lastIndex = at;
      const row = NAME_VALUE_ROW.exec(content);
      const name = row?.indices?.[1];
      const value = row?.indices?.[2];
      if (!row || !name || !value) break;
      let valueEnd = value[1];
      while (valueEnd > value[0] && ' \t'.includes(content[valueEnd - 1] ?? '')) valueEnd--;
      found.push(assignmentView(content, name, [value[0], valueEnd], asIs));
      at = content.indexOf('\n', NAME_VALUE_ROW.lastIndex) + 1;
    }
    NAME_VALUE_HEADER.lastIndex = Math.max(NAME_VALUE_HEADER.lastIndex, at);
  }
  return found;
}

/** `INSERT INTO table (columns) VALUES`, up to the first tuple: the columns are group 1. */
const INSERT_INTO =
  /\binsert[ \t]{1,8}into[ \t]{1,8}[\w."`[\]]{1,200}[ \t]{0,8}\(([^()\n]{1,2000})\)[ \t]{0,8}values\s{0,8}(?=\()/dgi;
/** Column names that may hold a secret, as the generic rules' names would. */
const SECRET_COLUMN = /pass|pwd|secret|token|api_?key|auth/i;
/** Characters of one INSERT's tuples read at most: a dump's line of rows can be megabytes long. */
const TUPLES_LIMIT = 1 << 16;

/**
 * The names of a comma-separated column list at `list` (quotes in `quotes` trimmed), and which of
 * them may hold a secret.
 */
function secretColumns(content: string, list: Span, quotes: string): { columns: Span[]; wanted: boolean[] } {
  const columns: Span[] = [];
  let from = list[0];
  for (let at = list[0]; at <= list[1]; at++) {
    if (at < list[1] && content[at] !== ',') continue;
    let start = from;
    let end = at;
    while (start < end && quotes.includes(content[start] ?? '')) start++;
    while (end > start && quotes.includes(content[end - 1] ?? '')) end--;
    columns.push([start, end]);
    from = at + 1;
  }
  return { columns, wanted: columns.map(([start, end]) => SECRET_COLUMN.test(content.slice(start, end))) };
}

/**
 * The quoted values of an SQL `INSERT` under a column whose name may hold a secret, as
 * `column = "value"`: seed scripts and dumps (`INSERT INTO users (id, email, password) VALUES
 * (1, 'admin@acme.io', '…')`), every row of a multi-row insert. The tuples are read by hand, one
 * character at a time, so that commas and parentheses inside quoted values are values.
 */
function insertedValues(content: string): EscapedLine[] {
  const found: EscapedLine[] = [];
  INSERT_INTO.lastIndex = 0;
  for (let match = INSERT_INTO.exec(content); match; match = INSERT_INTO.exec(content)) {
    const columnsAt = match.indices?.[1];
    if (!columnsAt) continue;
    const { columns, wanted } = secretColumns(content, columnsAt, ' \t`"[]');
    if (!wanted.includes(true)) continue;
    // Tuples: `(v, 'v', …)` separated by commas, until anything else.
    const limit = Math.min(content.length, INSERT_INTO.lastIndex + TUPLES_LIMIT);
    let at = INSERT_INTO.lastIndex;
    while (at < limit && content[at] === '(') {
      at++;
      for (let column = 0; at < limit; column++) {
        while (at < limit && (content[at] === ' ' || content[at] === '\t')) at++;
        if (content[at] === "'") {
          const start = at + 1;
          at = start;
          // `''` and (MySQL's) `\'` stay inside the value.
          while (at < limit && (content[at] !== "'" || content[at + 1] === "'"))
            at += content[at] === "'" || content[at] === '\\' ? 2 : 1;
          const nameSpan = columns[column];
          if (wanted[column] && nameSpan && at > start)
            found.push(assignmentView(content, nameSpan, [start, at], asIs));
          at++;
        } else {
          while (at < limit && !',)\n'.includes(content[at] ?? '')) at++;
        }
        while (at < limit && (content[at] === ' ' || content[at] === '\t')) at++;
        if (content[at] !== ',') break;
        at++;
      }
      if (content[at] !== ')') break;
      at++;
      while (at < limit && ' \t\r\n,'.includes(content[at] ?? 'x')) at++;
    }
  }
  return found;
}

/** pg_dump's `COPY table (columns) FROM stdin;` line, before its rows: the columns are group 1. */
const COPY_FROM_STDIN =
  /^COPY[ \t]{1,8}[\w."]{1,200}[ \t]{1,8}\(([^()\n]{1,2000})\)[ \t]{1,8}FROM[ \t]{1,8}stdin;[ \t]*\r?$/dgm;

/**
 * The cells of pg_dump's `COPY … FROM stdin;` rows (tab-separated, up to the `\.` line) under a
 * column whose name may hold a secret, as `column = "cell"`: a plain-format dump writes its rows so,
 * where other tools write INSERTs (insertedValues). `\N`, SQL's NULL, is no value.
 */
function copiedValues(content: string): EscapedLine[] {
  const found: EscapedLine[] = [];
  COPY_FROM_STDIN.lastIndex = 0;
  for (let match = COPY_FROM_STDIN.exec(content); match; match = COPY_FROM_STDIN.exec(content)) {
    const columnsAt = match.indices?.[1];
    if (!columnsAt) continue;
    const { columns, wanted } = secretColumns(content, columnsAt, ' \t"');
    if (!wanted.includes(true)) continue;
    let at = content.indexOf('\n', COPY_FROM_STDIN.lastIndex) + 1;
    while (
      at > 0 &&
      at < content.length &&
      found.length < TABLE_VIEWS_LIMIT &&
      !content.startsWith('\\.', at)
    ) {
      const row = tableRow(content, at, '\t');
      row.cells.forEach(([start, end], column) => {
        const name = columns[column];
        if (wanted[column] && name && end > start && content.slice(start, end) !== '\\N')
          found.push(assignmentView(content, name, [start, end], asIs));
      });
      at = row.next;
    }
    COPY_FROM_STDIN.lastIndex = Math.max(COPY_FROM_STDIN.lastIndex, at);
  }
  return found;
}

/** The forms looked for in the last path's files: a file's chunks, and a change's segments, share one path. */
let formsFor: { path: string; forms: readonly SettingForm[] } | undefined;

import { describe, expect, it } from 'vitest';
import {
  builtinRuleSet,
  missedConstructs,
  noisyLookAlikes,
  position,
  scanText,
  type ConstructCase,
  type LookAlikeCase,
} from '../helpers/catalogue.js';
import { ALPHA, randomString } from '../helpers/tokens.js';

// The fifteenth blind probe: secrets handed to SDK clients and sent in HTTP requests, in code,
// captures and API descriptions. Each case is one in-process scan of a file as it is written.
const ruleSet = await builtinRuleSet();
const KEY = randomString(ALPHA.alnum, 40, 1501);
const HEX32 = randomString(ALPHA.hex, 32, 1502);
const HEX16 = randomString(ALPHA.hex, 16, 1503);
const HEX20 = randomString(ALPHA.hex, 20, 1504);
const ALNUM32 = randomString(ALPHA.alnum, 32, 1505);
const UUID = [8, 4, 4, 4, 12].map((length, at) => randomString(ALPHA.hex, length, 1510 + at)).join('-');
const SID = `AC${randomString(ALPHA.hex, 32, 1506)}`;

/** A HAR capture of one request with these headers. */
const har = (headers: [string, string][]) =>
  JSON.stringify(
    {
      log: {
        version: '1.2',
        entries: [
          {
            request: {
              method: 'GET',
              url: 'https://api.acme.io/v1/items',
              headers: headers.map(([name, value]) => ({ name, value })),
              queryString: [],
            },
          },
        ],
      },
    },
    null,
    2,
  );

/** [construct, path, content, rule, secret] */
const POSITIVES: ConstructCase[] = [
  [
    "a HAR capture's API-key header",
    'captures/session.har',
    har([
      ['accept', 'application/json'],
      ['x-api-key', KEY],
    ]),
    'generic-secret',
    KEY,
  ],
  [
    "an OpenAPI parameter's filled-in example, under its schema",
    'api/openapi.yaml',
    `openapi: 3.0.3\npaths:\n  /parcels:\n    get:\n      parameters:\n        - name: X-API-Key\n          in: header\n          required: true\n          schema:\n            type: string\n          example: ${KEY}\n`,
    'generic-secret',
    KEY,
  ],
  [
    "a Swagger 2 query parameter's default, with in: before its name",
    'spec/swagger.yaml',
    `swagger: '2.0'\npaths:\n  /latest:\n    get:\n      parameters:\n        - in: query\n          name: api_key\n          type: string\n          default: ${KEY}\n`,
    'generic-secret',
    KEY,
  ],
  [
    "a header Swift's URLRequest sets, the value before the header's name",
    'Sources/App/Client.swift',
    `var request = URLRequest(url: url)\nrequest.setValue("${KEY}", forHTTPHeaderField: "apikey")\n`,
    'generic-secret',
    KEY,
  ],
  [
    "a header Objective-C's NSMutableURLRequest sets",
    'Classes/ApiClient.m',
    `[request setValue:@"${KEY}" forHTTPHeaderField:@"X-Api-Key"];\n`,
    'generic-secret',
    KEY,
  ],
  [
    'a Go request header set as a slice of strings',
    'internal/client/client.go',
    `req.Header["X-Auth-Token"] = []string{"${KEY}"}\n`,
    'generic-secret',
    KEY,
  ],
  [
    'a Go http.Header literal',
    'internal/client/client.go',
    `req.Header = http.Header{\n\t"Accept":    {"application/json"},\n\t"X-Api-Key": {"${KEY}"},\n}\n`,
    'generic-secret',
    KEY,
  ],
  [
    "an OpenAPI parameter's example in a JSON description",
    'api/openapi.json',
    `{"openapi": "3.0.3", "paths": {"/parcels": {"get": {"parameters": [{"name": "X-API-Key", "in": "header", "required": true, "example": "${KEY}"}]}}}}\n`,
    'generic-secret',
    KEY,
  ],
  [
    "a query item of Swift's URLComponents",
    'Sources/App/Weather.swift',
    `components.queryItems = [\n  URLQueryItem(name: "q", value: city),\n  URLQueryItem(name: "api_key", value: "${KEY}"),\n]\n`,
    'generic-secret',
    KEY,
  ],
  [
    "a query item of Objective-C's NSURLComponents",
    'Classes/Weather.m',
    `NSURLQueryItem *key = [NSURLQueryItem queryItemWithName:@"api_key" value:@"${KEY}"];\n`,
    'generic-secret',
    KEY,
  ],
  [
    'a header inserted into a Rust HeaderMap',
    'src/client.rs',
    `let mut headers = HeaderMap::new();\nheaders.insert("x-api-key", HeaderValue::from_static("${KEY}"));\n`,
    'generic-secret',
    KEY,
  ],
  [
    "a JMeter test plan's header",
    'load/checkout.jmx',
    `<elementProp name="" elementType="Header">\n  <stringProp name="Header.name">X-API-Key</stringProp>\n  <stringProp name="Header.value">${KEY}</stringProp>\n</elementProp>\n`,
    'generic-secret',
    KEY,
  ],
  [
    'a key passed to a client class named for its provider',
    'src/photos.ts',
    `const client = new FlickrClient('${HEX32}');\n`,
    'flickr-api-key',
    HEX32,
  ],
  [
    "a provider's module and class, the key its one argument",
    'tools/search.py',
    `import shodan\napi = shodan.Shodan('${ALNUM32}')\n`,
    'shodan-api-key',
    ALNUM32,
  ],
  [
    "an SDK's short class name that holds the provider's",
    'etl/weather.py',
    `owm = pyowm.OWM('${HEX32}')\n`,
    'openweather-api-key',
    HEX32,
  ],
  [
    'a secret passed second, after a key given by name',
    'src/main/java/com/acme/Photos.java',
    `Flickr flickr = new Flickr(apiKey, "${HEX16}", new REST());\n`,
    'flickr-api-secret',
    HEX16,
  ],
  [
    "Pusher's PHP client given key, secret and app id in order",
    'app/Broadcast.php',
    `<?php\n$pusher = new Pusher\\Pusher($key, '${HEX20}', '1234567');\n`,
    'pusher-secret',
    HEX20,
  ],
  [
    'a Twilio client given the account SID and the auth token',
    'src/sms.ts',
    `const client = new Twilio('${SID}', '${HEX32}');\n`,
    'twilio-auth-token',
    HEX32,
  ],
];

/** [look-alike, path, content] */
const NEGATIVES: LookAlikeCase[] = [
  [
    "a HAR capture's request ids, validators and a redacted header",
    'captures/static.har',
    har([
      ['x-request-id', UUID],
      ['if-none-match', `"${HEX32}"`],
      ['x-trace-id', HEX32],
      ['authorization', 'Bearer [REDACTED]'],
    ]),
  ],
  [
    "an OpenAPI parameter's placeholder example and a request id's",
    'api/openapi.yaml',
    `openapi: 3.0.3\npaths:\n  /parcels:\n    get:\n      parameters:\n        - name: X-API-Key\n          in: header\n          example: YOUR_API_KEY\n        - name: X-Request-Id\n          in: header\n          example: ${UUID}\n`,
  ],
  [
    'Swift headers from variables, interpolations and content types',
    'Sources/App/Client.swift',
    'request.setValue(token, forHTTPHeaderField: "X-API-Key")\nrequest.setValue("Bearer \\(token)", forHTTPHeaderField: "Authorization")\nrequest.setValue("application/json", forHTTPHeaderField: "Content-Type")\n',
  ],
  [
    'Go headers from the environment and a content type',
    'internal/client/client.go',
    `req.Header["X-Auth-Token"] = []string{os.Getenv("TOKEN")}\nreq.Header = http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"${UUID}"}}\n`,
  ],
  [
    "an OpenAPI JSON parameter's placeholder and a request id's example",
    'api/openapi.json',
    `{"openapi": "3.0.3", "parameters": [{"name": "X-API-Key", "in": "header", "example": "<your-api-key>"}, {"name": "X-Request-Id", "in": "header", "example": "${UUID}"}]}\n`,
  ],
  [
    'Swift query items from variables, and a search term',
    'Sources/App/Weather.swift',
    'components.queryItems = [URLQueryItem(name: "api_key", value: apiKey), URLQueryItem(name: "q", value: "Berlin")]\n',
  ],
  [
    'Rust headers from the environment and a content type',
    'src/client.rs',
    'headers.insert("x-api-key", HeaderValue::from_str(&key)?);\nheaders.insert("accept", HeaderValue::from_static("application/json"));\n',
  ],
  [
    'a JMeter header from a property',
    'load/checkout.jmx',
    '<stringProp name="Header.name">X-API-Key</stringProp>\n<stringProp name="Header.value">${__P(api_key)}</stringProp>\n',
  ],
  [
    "Pusher's public key, given first, in a browser",
    'src/realtime.js',
    `const pusher = new Pusher('${HEX20}', { cluster: 'eu' });\n`,
  ],
  [
    'calls named for a provider that pass no key',
    'src/photos.ts',
    "const client = new FlickrClient('https://api.flickr.com/services/rest');\nconst api = shodan.Shodan(apiKey);\nconst weather = owm.weather_at_place('London,GB');\n",
  ],
  [
    "a random literal passed to a provider's client in no shape of the provider's (generic rules do not read the call)",
    'src/scan.ts',
    `const client = new ShodanClient('${randomString(ALPHA.alnum, 24, 1507)}');\n`,
  ],
];

describe('SDK clients and HTTP requests (blind probe 15)', () => {
  it('finds the secret handed to each client or written into each request', () => {
    expect(missedConstructs(ruleSet, POSITIVES)).toEqual([]);
  });

  it('stays quiet on references, placeholders, ids and public keys in the same places', () => {
    expect(noisyLookAlikes(ruleSet, NEGATIVES)).toEqual([]);
  });

  it('reports a header value written before its name where the value stands', () => {
    const content = `request.setValue("${KEY}", forHTTPHeaderField: "X-API-Key")\n`;
    expect(scanText(ruleSet, content, 'Sources/App/Client.swift').map(position)).toEqual([
      { ruleId: 'generic-secret', line: 1, column: 19, endLine: 1, endColumn: 19 + KEY.length, secret: KEY },
    ]);
  });

  it("reports a key passed to a provider's client at the literal, not at the call", () => {
    const content = `import shodan\napi = shodan.Shodan('${ALNUM32}')\n`;
    expect(scanText(ruleSet, content, 'tools/search.py').map(position)).toEqual([
      { ruleId: 'shodan-api-key', line: 2, column: 22, endLine: 2, endColumn: 22 + 32, secret: ALNUM32 },
    ]);
  });
});

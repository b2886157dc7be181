import type { HostList } from '../verify/providers.js';
import type { Checker, Path } from '../rules/yaml-source.js';

/** The hosts a top config lists per provider (`verify-hosts`): lower-case names, each with an optional `:port`. */
export type VerifyHosts = Partial<Record<HostList, string[]>>;

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * What each list accepts beyond a plain host name. A Shopify token is checked at its shop's
 * `myshopify.com` host, which Shopify itself serves: no other host can be listed for it.
 */
const LIST_RULES: Record<HostList, { example: string; check?: (entry: string) => string | undefined }> = {
  gitlab: { example: 'gitlab.example.com' },
  shopify: {
    example: 'my-shop.myshopify.com',
    check: (entry) =>
      /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(entry)
        ? undefined
        : "expected a shop's own host, SHOP.myshopify.com (Shopify's Admin API is asked only there)",
  },
};

/**
 * Why `entry` is not a host to verify against, or undefined. Messages never quote the entry: a
 * URL pasted by mistake can carry a credential (user info, a token in the query).
 */
function hostProblem(list: HostList, entry: string): string | undefined {
  const { example, check } = LIST_RULES[list];
  if (entry.includes('://'))
    return `expected a host name, not a URL: drop the scheme (requests are always HTTPS), e.g. ${example}`;
  if (entry.includes('@'))
    return `expected a host name without user info (credentials never belong in a config), e.g. ${example}`;
  if (/[/?#\\]/.test(entry)) return `expected a host name without a path, query or fragment, e.g. ${example}`;
  if (entry.includes('*')) return 'expected a host name without wildcards: list each host';
  const match = /^([^:]*)(?::([0-9]{1,5}))?$/.exec(entry);
  const [name = '', port] = match ? [match[1], match[2]] : [];
  if (!match || (port !== undefined && (Number(port) < 1 || Number(port) > 65535)))
    return `expected a host name with an optional :PORT (1 to 65535), e.g. ${example}`;
  const labels = name.split('.');
  // No top-level domain is all digits: such a name is an IPv4 address.
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? ''))
    return 'expected a host name, not an IP address (TLS checks the certificate against the name)';
  if (name.length > 253 || !labels.every((label) => LABEL.test(label)))
    return `expected a host name of letters, digits, hyphens and dots, e.g. ${example}`;
  return check?.(entry);
}

/**
 * Checks `verify-hosts` (reporting each bad entry at its path) and returns the lists, lower-cased
 * and without duplicates. A list given replaces the provider's default hosts, so an empty one means
 * "ask no host".
 */
export function checkVerifyHosts(checker: Checker, value: unknown, path: Path): VerifyHosts | undefined {
  const record = checker.object(value, path, new Set(Object.keys(LIST_RULES)));
  if (!record) return undefined;
  const hosts: VerifyHosts = {};
  for (const list of Object.keys(LIST_RULES) as HostList[]) {
    const given = record[list];
    if (given === undefined) continue;
    if (!Array.isArray(given)) {
      checker.report([...path, list], `expected a list of host names, e.g. [${LIST_RULES[list].example}]`);
      continue;
    }
    const names = new Set<string>();
    given.forEach((entry: unknown, index) => {
      const problem =
        typeof entry === 'string'
          ? hostProblem(list, entry.trim().toLowerCase())
          : `expected a host name, e.g. ${LIST_RULES[list].example}`;
      if (problem !== undefined) checker.report([...path, list, index], problem);
      else names.add((entry as string).trim().toLowerCase());
    });
    hosts[list] = [...names];
  }
  return hosts;
}

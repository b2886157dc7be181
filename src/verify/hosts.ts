import { isIP } from 'node:net';
import { KeyfenceError } from '../errors.js';
import { VERIFIER_HOSTS } from './providers.js';

/** Where requests for one provider host are sent instead of its real address: a loopback address and port. */
export interface Route {
  address: string;
  port: number;
}

/** Whether an IP address is loopback: 127.0.0.0/8 or ::1. */
function isLoopback(address: string): boolean {
  if (isIP(address) === 4) return address.split('.')[0] === '127';
  return isIP(address) === 6 && /^(?:0{0,4}:){2,7}0{0,3}1$|^::1$/.test(address);
}

/** A host as a user lists it, `name` or `name:port`, split (no port: 443). */
export function splitHost(host: string): { name: string; port: number | undefined } {
  const match = /^(.*):([0-9]+)$/.exec(host);
  return match ? { name: match[1] ?? '', port: Number(match[2]) } : { name: host, port: undefined };
}

/**
 * Parses `KEYFENCE_VERIFY_HOSTS` (`api.github.com=127.0.0.1:8443,api.stripe.com=[::1]:8444`), the
 * one way to send a provider's requests elsewhere, for tests against local servers. Only loopback
 * targets are accepted, so it can never send a secret off the machine; the request still uses TLS
 * with the provider's name for SNI and the certificate check. Besides the verifier table's hosts,
 * it may route the host names of `listed` (the hosts a top config lists, ports ignored).
 */
export function parseVerifyHosts(
  text: string,
  listed: readonly string[] = [],
  name = 'KEYFENCE_VERIFY_HOSTS',
): Map<string, Route> {
  const known = new Set([...VERIFIER_HOSTS, ...listed.map((host) => splitHost(host).name)]);
  const routes = new Map<string, Route>();
  for (const entry of text.split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    const match = /^([a-z0-9.-]+)=(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):([0-9]{1,5})$/.exec(entry);
    const address = match?.[2] ?? match?.[3];
    const port = Number(match?.[4]);
    if (!match?.[1] || address === undefined || port < 1 || port > 65535)
      throw new KeyfenceError(
        `${name}: "${entry}" is not HOST=ADDRESS:PORT (e.g. api.github.com=127.0.0.1:8443)`,
      );
    if (!isLoopback(address))
      throw new KeyfenceError(
        `${name}: ${match[1]}: ${address} is not a loopback address (127.0.0.0/8 or ::1)`,
      );
    if (!known.has(match[1]))
      throw new KeyfenceError(`${name}: ${match[1]} is not a host keyfence verifies against`);
    routes.set(match[1], { address, port });
  }
  return routes;
}

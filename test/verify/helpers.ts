import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, type CliResult } from '../helpers/cli.js';
import { makeTree } from '../helpers/tree.js';
import { VERIFIER_HOSTS } from '../../src/verify/providers.js';

/** What the test server does with a request carrying a given secret. */
export type Behaviour =
  'live' | 'revoked' | 'rate-limited' | 'server-error' | 'slow' | 'redirect' | 'eu-only';

/** A behaviour, or one per Host header (hosts a config lists); a host not named gets 404. */
export type Behaviours = Behaviour | Readonly<Record<string, Behaviour>>;

/** A request as the server saw it. */
export interface Seen {
  host: string;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Every header value and the body, Basic credentials decoded: where a secret can be found. */
  text: string;
}

/** A provider's documented answers for a live and for a revoked credential. */
export type Answers = Record<string, { live: [number, string]; revoked: [number, string] }>;

/** A self-signed certificate (also its own CA) for every host a verifier contacts and `extra` names, made with openssl now. */
export function testCertificate(extra: readonly string[] = []): {
  key: string;
  cert: string;
  caFile: string;
  dir: string;
} {
  const dir = mkdtempSync(join(tmpdir(), 'keyfence-verify-'));
  const names = [...VERIFIER_HOSTS, ...extra].map((host) => `DNS:${host}`).join(',');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=keyfence verification test',
      '-addext',
      `subjectAltName=${names}`,
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  return {
    key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    caFile: join(dir, 'cert.pem'),
    dir,
  };
}

/** One loopback HTTPS server that answers as every provider would, by the secret a request carries. */
export class ProviderServer {
  readonly seen: Seen[] = [];
  readonly behaviours = new Map<string, Behaviours>();
  inFlight = 0;
  maxInFlight = 0;
  private server: Server;

  constructor(tls: { key: string; cert: string }, answers: Answers, delayMs: number) {
    this.server = createServer(tls, (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const host = request.headers.host ?? '';
        const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
        const text = [
          request.url ?? '',
          ...Object.values(request.headers).flat(),
          body,
          basic ? Buffer.from(basic, 'base64').toString() : '',
        ].join('\n');
        this.seen.push({
          host,
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body,
          text,
        });
        const given = [...this.behaviours].find(([marker]) => text.includes(marker))?.[1];
        const behaviour = typeof given === 'object' ? given[host] : given;
        const answer = answers[host];
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        const reply = (status: number, payload: string, headers: Record<string, string> = {}) => {
          this.inFlight--;
          if (!response.destroyed)
            response.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(payload);
        };
        setTimeout(() => {
          if (!answer || behaviour === undefined) reply(404, '{}');
          else if (behaviour === 'live' || (behaviour === 'eu-only' && host.includes('.eu.')))
            reply(...answer.live);
          else if (behaviour === 'revoked' || behaviour === 'eu-only') reply(...answer.revoked);
          else if (behaviour === 'rate-limited') reply(429, '{}', { 'Retry-After': '60' });
          else if (behaviour === 'server-error') reply(503, '{}');
          else if (behaviour === 'redirect') reply(302, '', { Location: 'https://collector.example/steal' });
          else
            setTimeout(() => {
              reply(...answer.live);
            }, 1500);
        }, delayMs);
      });
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** `host=127.0.0.1:port,…` for every verifier host: KEYFENCE_VERIFY_HOSTS sending all of them to the test server. */
export const routesTo = (port: number): string =>
  [...VERIFIER_HOSTS].map((host) => `${host}=127.0.0.1:${port}`).join(',');

/** Runs the built CLI without blocking this process's event loop (the test server lives here). */
export function runBinAsync(args: string[], cwd: string, env: Record<string, string>): Promise<CliResult> {
  return runAsync(process.execPath, [BIN, ...args], cwd, { NO_COLOR: '1', ...env });
}

/** Runs a program to its end without blocking this process's event loop. */
export function runAsync(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  inherit = true,
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: inherit ? { ...process.env, ...env } : env },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ exitCode: typeof code === 'number' ? code : 0, stdout, stderr });
      },
    );
  });
}

const ACTION = fileURLToPath(new URL('../../action/index.js', import.meta.url));

/**
 * Runs the Action bundle in `repo` on a workflow_dispatch, with only the runner's variables and
 * `env` (none of this process's own: in CI, GitHub's would reach it); the summary it wrote.
 */
export async function runActionBundle(
  repo: string,
  env: Record<string, string>,
): Promise<CliResult & { summary: string }> {
  const runner = makeTree({ output: '', 'summary.md': '' });
  const run = await runAsync(
    process.execPath,
    [ACTION],
    repo,
    {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: runner,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_WORKSPACE: repo,
      GITHUB_OUTPUT: join(runner, 'output'),
      GITHUB_STEP_SUMMARY: join(runner, 'summary.md'),
      ...env,
    },
    false,
  );
  return { ...run, summary: readFileSync(join(runner, 'summary.md'), 'utf8') };
}

import { request as httpsRequest } from 'node:https';
import type { Route } from './hosts.js';

/** One HTTPS request to a provider's fixed host. */
export interface OutgoingRequest {
  /** The host name: SNI, certificate check and Host header. */
  host: string;
  /** A port other than 443 (a self-hosted server the user lists). */
  port?: number | undefined;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** What came back: the status, the headers and at most the first 64 KB of the body. */
export interface Answer {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: string;
}

/** How requests are sent: a deadline, and for tests a loopback route and extra trusted CA. */
export interface SendOptions {
  timeoutMs: number;
  route: Route | undefined;
  /** Certificates trusted besides Node's own (library callers and tests); the CLI never sets it. */
  ca: string | undefined;
}

const MAX_BODY = 64 * 1024;

/** A failure described without its message: messages can quote the URL, and some URLs hold the secret. */
export class SendFailure extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/**
 * Sends one request and reads the answer. TLS is verified against the provider's host name (also
 * when routed to a test server), redirects are answers like any other (never followed), nothing
 * is pooled or kept alive, and the whole exchange must finish within the timeout.
 */
export function send(outgoing: OutgoingRequest, options: SendOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = outgoing.body === undefined ? undefined : Buffer.from(outgoing.body);
    const request = httpsRequest({
      host: options.route?.address ?? outgoing.host,
      port: options.route?.port ?? outgoing.port ?? 443,
      servername: outgoing.host,
      method: outgoing.method,
      path: outgoing.path,
      headers: {
        ...outgoing.headers,
        Host: outgoing.port === undefined ? outgoing.host : `${outgoing.host}:${outgoing.port}`,
        ...(body && { 'Content-Length': String(body.length) }),
      },
      agent: false,
      rejectUnauthorized: true,
      ...(options.ca !== undefined && { ca: options.ca }),
    });
    const timer = setTimeout(() => request.destroy(new SendFailure('timeout')), options.timeoutMs);
    const fail = (error: unknown) => {
      clearTimeout(timer);
      reject(
        error instanceof SendFailure
          ? error
          : new SendFailure((error as NodeJS.ErrnoException).code ?? 'network error'),
      );
    };
    request.on('error', fail);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < MAX_BODY) chunks.push(chunk);
        size += chunk.length;
      });
      response.on('error', fail);
      // Destroyed mid-body (the deadline) or cut by the server: never an answer.
      response.on('close', () => {
        if (!response.complete) fail(new SendFailure('connection closed'));
      });
      response.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY),
        });
      });
    });
    request.end(body);
  });
}

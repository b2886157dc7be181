import type { OutgoingRequest } from './request.js';

/**
 * Signs a request with AWS Signature Version 4 using the `aws4` library (loaded here, only when an
 * AWS key pair is verified). The signature covers host, date and body; the secret access key
 * itself is never sent.
 */
export async function signAws(
  outgoing: OutgoingRequest,
  credentials: { accessKeyId: string; secretAccessKey: string },
  scope: { service: string; region: string },
): Promise<OutgoingRequest> {
  const { default: aws4 } = await import('aws4');
  const signed = aws4.sign(
    {
      host: outgoing.host,
      method: outgoing.method,
      path: outgoing.path,
      headers: { ...outgoing.headers },
      ...(outgoing.body !== undefined && { body: outgoing.body }),
      service: scope.service,
      region: scope.region,
    },
    credentials,
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers ?? {}))
    if (value !== undefined) headers[name] = String(value);
  return { ...outgoing, headers };
}

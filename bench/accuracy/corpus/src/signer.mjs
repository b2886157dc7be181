import { webcrypto } from 'node:crypto';

export async function signingKey() {
  return webcrypto.subtle.importKey(
    'jwk',
    {
      kty: 'OKP',
      crv: 'Ed25519',
      x: 'RJ8abX8tcThbtIuaNk3syD5O53tY58orErqvpnZ5NO0',
      d: 'cBTnTa5q3ofKoBW5xWTnjjOwS9QCwd7TE4RL-B18rAc',
    },
    { name: 'Ed25519' },
    false,
    ['sign'],
  );
}

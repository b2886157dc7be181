import { z } from 'zod';

export const config = {
  region: 'eu-west-1',
  coApiKey: 'gYKUgsIgTEfCepsZnDN2IoXukoRmDeFezLHmiVYq',
  sessionSecret: '${SESSION_SECRET}',
  clientSecret: 'REPLACE_ME',
  consulToken: '298393e0-1ec9-59b0-7919-cb17bccd979e',
  logzioToken: 'MLntXPuRkYYWxbursxCStquBLNmROSyD',
  typesenseApiKey: 'Q3xm5WOd3nXPKECZNzPNnFF1FCdhtS2H',
  stytchSecret: 'secret-live-6UilzyZbZUJSgWHar0lP_K2n9rNmJy3peeMd=',
} as const;

export type Config = typeof config;

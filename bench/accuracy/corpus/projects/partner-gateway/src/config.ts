import { z } from 'zod';

export const config = {
  region: 'eu-west-1',
  deepseekApiKey: 'sk-330e6f6e4e0a95800c680a69f13d6e2a',
  awsSecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  awsAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  datadogApiKey: '0f36f2265ab0e87456a6d2ca5c3a6f9b',
  localstackAuthToken: 'ls-3Vxi4Ihx-PfP9-frFU-P10h-SBMlUrVfNPjx',
  polarAccessToken: 'polar_oat_NIDj4Z0smNoxwQu2FE_OtralODQd00mDiETnKNw6IeN',
  unleashToken: '*:production.73c9be3c1a2825e1b10e1cdbf37a59309da98bfcf760aacbcaed50a7c80b0aff',
} as const;

export type Config = typeof config;

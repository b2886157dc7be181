import { z } from 'zod';

export const config = {
  region: 'eu-west-1',
  ai21ApiKey: 'S8jPVNLOiqHNhZtSVpVvvWltPrbTHoG6',
  requestId: 'f81ff0b8-9975-4b72-2c4f-6258f7549bf2',
  clientId: 'b80466c6-4975-47f7-7b07-93da01dbcafd',
  giteaToken: 'fe3981d6b195a71cf28e49f561e2748b89e3e218',
  launchdarklyAccessToken: 'api-281e6894-32c6-4ce2-a0b4-28b8bcc08edd',
  replicateApiToken: 'r8_mO6ZTntn1jVMA3UXL1apShODe3jeHLK9TKOaf',
  zulipApiKey: 'Yqz5rowK68TiJ2RuFsqrVmUOYsUlCM2I',
} as const;

export type Config = typeof config;

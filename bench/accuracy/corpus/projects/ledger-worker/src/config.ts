import { z } from 'zod';

export const config = {
  region: 'eu-west-1',
  kafkaSaslPassword: 'AVNS_NN8vwVc8-ZF96SsbWBBx3D',
  vaultPath: 'secret/data/prod/payments',
  smtpPassword: '${{ secrets.SMTP_PASSWORD }}',
  portainerToken: 'ptr_B44hxBa0FWlMCDOJ/z/+rOY4ZjmuK3fYLjLvhme4Fqs',
  postmarkApiToken: 'd49aca75-7427-d3b8-c805-768dc7129e40',
  googleRefreshToken: '1//0F0SHlAsNL_W5EuIe8t4llIqwp7fc6IxxrbMkvWJOPZx7Q8md_8kU5BtrDP-iIv7nDtEft3JvsLZiN-R_6GJiSZWQww',
} as const;

export type Config = typeof config;

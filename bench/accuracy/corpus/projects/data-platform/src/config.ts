import { z } from 'zod';

export const config = {
  region: 'eu-west-1',
  airbrakeApiKey: '0fc41d399bb6010c11f151c94ed658c1',
  etag: '0b9658ea4958d7d0252a25b88a275152',
  artifactSha256: '55576bd6e880808334f515b05a2d38b04574ede63a8805fd2aa8cc45d2888948',
  convexDeployKey: 'prod:eiyllp-ijjor-485|LSOvGMsZiUGMztvDV6dxVFJHRSjaLYtBeKXxCCZxIX4MD3FzW6YYO18BFKFLO9oZNBHzPP7kcTYmlQYK',
  meegoSecret: 'TRX0mn3iZ9S63arEEQbGhY5MWrXkddOR',
  webexAccessToken: 'W0bFGR3VDswbZuHPsv1fKw0nosbVOQKeV2IrxiCitic9cBkMZFywRPSt1qYXV4kN',
  shopifyMarketplaceToken: '7BprRxJVNGI018QaadBGsBzZiuv3wvRrnrmvcONn',
} as const;

export type Config = typeof config;

import { z } from 'zod';

export const config = {
  region: 'eu-west-1',
  deepseekApiKey: 'sk-330e6f6e4e0a95800c680a69f13d6e2a',
  awsSecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  awsAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  rollbarAccessToken: '588e61d6755e3ccd0e8ed97aef8d0923',
  mailersendPassword: 'UK5xsEBlLp0nNoFyJwuFadBQSafZLz7Op6nAJPxI',
  easypostApiKey: 'EZAKZaJFgWOBNxVOtV6J4TyijkVqffH5dSpwPNqEsjA84p1XjfUCAUmLl4',
  weatherstackKey: '13a496bb7e4f39a239be77160ec5a713',
} as const;

export type Config = typeof config;

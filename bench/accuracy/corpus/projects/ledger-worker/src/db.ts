import { Pool } from 'pg';

const dbPassword =
  'saffron_Qanyon96';
const redisPassword = process.env.REDIS_PASSWORD || '8siLf39kGeFCPF-0';
const adminPassword: string = 'ember.Mantern45';
export const apiSecret = `d09qmpac5pybvrrs5azfmrx0beeslv9f`;
const password = process.env.DB_PASSWORD ?? '';
const withCredentials = options.withCredentials;
export const pool = new Pool({ user: "app", password: dbPassword, host: "db" });

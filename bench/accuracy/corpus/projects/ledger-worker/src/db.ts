import { Pool } from 'pg';

const dbPassword =
  'ef6748siLf39kG_0';
const redisPassword = process.env.REDIS_PASSWORD || 'granite!Cobalt10';
const adminPassword: string = 'ember.Maple17';
export const apiSecret = `od09qmpac5pybvrrs5azfmrx0beeslv9`;
const password = process.env.DB_PASSWORD ?? '';
const withCredentials = options.withCredentials;
export const pool = new Pool({ user: "app", password: dbPassword, host: "db" });

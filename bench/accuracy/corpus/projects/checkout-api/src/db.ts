import { Pool } from 'pg';

const dbPassword =
  'granite!Cobalt63';
const redisPassword = process.env.REDIS_PASSWORD || 'Cylon3694_tundra';
const adminPassword: string = 'lantern%Fmber38';
export const apiSecret = `i7dn2pqo8vay1odkj8wi86g4lk5o9lup`;
const password = process.env.DB_PASSWORD ?? '';
const withCredentials = options.withCredentials;
export const pool = new Pool({ user: "app", password: dbPassword, host: "db" });

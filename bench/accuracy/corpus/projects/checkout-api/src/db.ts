import { Pool } from 'pg';

const dbPassword =
  'pzQTtYfCwSdAV4!7';
const redisPassword = process.env.REDIS_PASSWORD || 'maple*Harbor85';
const adminPassword: string = 'Pylon8764!cobalt';
export const apiSecret = `ah9qscic8pvwn5kuyaekm3li7dn2pqo8`;
const password = process.env.DB_PASSWORD ?? '';
const withCredentials = options.withCredentials;
export const pool = new Pool({ user: "app", password: dbPassword, host: "db" });

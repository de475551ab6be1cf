import { Redis } from 'ioredis';

/** The shared local Redis (never stopped or reconfigured by tests); `STARTUP_TEST_REDIS_URL` overrides it. */
export const redisUrl = process.env.STARTUP_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const parsed = new URL(redisUrl);
export const redisHost = parsed.hostname;
export const redisPort = Number(parsed.port || 6379);

/** A client of the shared Redis for looking at it from outside, e.g. `CLIENT LIST`. */
export function adminClient(): Redis {
  return new Redis(redisUrl, {
    connectionName: 'startup-test-admin',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
  });
}

/** The connections the server holds whose client name is `name`. */
export async function connectionsNamed(admin: Redis, name: string): Promise<string[]> {
  const list = (await admin.client('LIST')) as string;
  return list.split('\n').filter((line) => line.includes(` name=${name} `));
}

let counter = 0;
/** A connection name unique to this test run, so parallel test files never see each other's connections. */
export function uniqueName(label: string): string {
  counter += 1;
  return `startup-test-${label}-${process.pid}-${counter}`;
}

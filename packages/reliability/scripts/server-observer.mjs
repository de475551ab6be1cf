// @ts-check
import { mysqlUrl, postgresUrl, redisAdmin, redisClientsNamed } from '@startup/test-kit';
import mysql from 'mysql2/promise';
import pg from 'pg';

/**
 * Looks at the shared servers from outside, through one long-lived connection each (named so they are
 * never counted as the connections under test): many checks in a row cost no connection each.
 * @typedef {object} ServerObserver
 * @property {(applicationName: string) => Promise<number>} postgres Backends in `pg_stat_activity` with this `application_name`.
 * @property {(connectionName: string) => Promise<number>} redis Connections in `CLIENT LIST` with this name.
 * @property {(database: string) => Promise<number>} mysql Connections in `information_schema.PROCESSLIST` on this
 *   database (the shared MariaDB has `performance_schema`, and so connection attributes, off).
 * @property {() => Promise<void>} close
 */

/** @returns {Promise<ServerObserver>} */
export async function openServerObserver() {
  const client = new pg.Client({
    connectionString: postgresUrl,
    application_name: 'startup-reliability-observer',
  });
  await client.connect();
  const admin = redisAdmin();
  await admin.connect();
  const mysqlObserver = await mysql.createConnection({
    uri: mysqlUrl,
    connectAttributes: { program_name: 'startup-reliability-observer' },
  });
  return {
    async postgres(applicationName) {
      const { rows } = await client.query(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
        [applicationName],
      );
      return rows[0]?.n ?? 0;
    },
    async redis(connectionName) {
      return (await redisClientsNamed(admin, connectionName)).length;
    },
    async mysql(database) {
      const [rows] = await mysqlObserver.query(
        'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
        [database],
      );
      return Number(/** @type {Array<{ n: number }>} */ (rows)[0]?.n ?? 0);
    },
    async close() {
      await client.end();
      await admin.quit();
      await mysqlObserver.end();
    },
  };
}

/**
 * Polls `read` until it returns `want` or `withinMs` passed (a server notices a closed socket a moment
 * after the client closed it); returns the last value read.
 * @template T
 * @param {() => Promise<T> | T} read
 * @param {(value: T) => boolean} done
 * @param {number} [withinMs]
 * @returns {Promise<T>}
 */
export async function settle(read, done, withinMs = 3_000) {
  const until = Date.now() + withinMs;
  let value = await read();
  while (!done(value) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    value = await read();
  }
  return value;
}

import mysql, { type RowDataPacket } from 'mysql2/promise';

/** The shared MariaDB / MySQL server of the integration tests; `STARTUP_TEST_MYSQL_URL` overrides it. */
export const mysqlUrl = process.env.STARTUP_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/**
 * MariaDB without `performance_schema` shows no connection attributes, so a test finds its connections by their
 * database: each test connects to a database of its own (`startup_test_mysql_<pid>_<n>`), which
 * `information_schema.PROCESSLIST` shows per connection.
 */
async function observe<T>(url: string, work: (observer: mysql.Connection) => Promise<T>): Promise<T> {
  const observer = await mysql.createConnection({
    uri: url,
    connectAttributes: { program_name: 'startup-test-observer' },
  });
  try {
    return await work(observer);
  } finally {
    await observer.end();
  }
}

/** Creates the database `name` (letters, digits and `_` only) on the server at `url`, for one test's connections. */
export async function createMysqlDatabase(name: string, url = mysqlUrl): Promise<void> {
  await observe(url, (c) => c.query(`CREATE DATABASE IF NOT EXISTS ${identifier(name)}`));
}

/** Drops the database `name` made by {@link createMysqlDatabase}. */
export async function dropMysqlDatabase(name: string, url = mysqlUrl): Promise<void> {
  await observe(url, (c) => c.query(`DROP DATABASE IF EXISTS ${identifier(name)}`));
}

/** Connections the server at `url` holds whose current database is `database`, read from `information_schema.PROCESSLIST`. */
export async function mysqlConnections(database: string, url = mysqlUrl): Promise<number> {
  return observe(url, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
      [database],
    );
    return Number(rows[0]?.n ?? 0);
  });
}

/**
 * {@link mysqlConnections} once the server has noticed the closed sockets: polls until none is left or `withinMs`
 * (milliseconds, defaults to 3000) has passed, and returns the last count.
 */
export async function mysqlConnectionsLeft(
  database: string,
  withinMs = 3_000,
  url = mysqlUrl,
): Promise<number> {
  const deadline = Date.now() + withinMs;
  let n = await mysqlConnections(database, url);
  while (n > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    n = await mysqlConnections(database, url);
  }
  return n;
}

function identifier(name: string): string {
  if (!/^\w{1,64}$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  return `\`${name}\``;
}

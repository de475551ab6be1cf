import { userInfo } from 'node:os';
import mysql from 'mysql2/promise';
import { freePort } from './free-port.js';
import { startServerProcess } from './server-process.js';

/** A throw-away MariaDB server on a free port with a user that needs a password, in a temporary directory. */
export interface SecuredMariadb {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** `mysql://<user>:<password>@127.0.0.1:<port>/`. */
  readonly url: string;
  /** Connections the server holds whose `program_name` connection attribute is `name` (`performance_schema` is on). */
  connectionsNamed(name: string): Promise<number>;
  /** Creates the database `name` (letters, digits and `_` only). */
  createDatabase(name: string): Promise<void>;
  /** Kills the server and removes its directory. */
  stop(): Promise<void>;
}

/**
 * Initialises a data directory (`mariadb-install-db`) and starts `mariadbd` on a free port with one user,
 * `user` (defaults to `startup`) identified by `password` (defaults to `secret`), allowed everything, so a test
 * can carry a password without creating anything on the shared server. `performance_schema` is on, so connections
 * are found by their `program_name` attribute (the shared server has it off). Takes a few seconds.
 */
export async function startSecuredMariadb(password = 'secret', user = 'startup'): Promise<SecuredMariadb> {
  if (!/^[\w-]{1,64}$/.test(password) || !/^\w{1,32}$/.test(user)) {
    throw new Error('startSecuredMariadb: the user and password must be plain words');
  }
  const port = await freePort();
  const url = `mysql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/`;
  const observe = async <T>(work: (c: mysql.Connection) => Promise<T>): Promise<T> => {
    const c = await mysql.createConnection({
      host: '127.0.0.1',
      port,
      user,
      password,
      connectTimeout: 1_000,
    });
    try {
      return await work(c);
    } finally {
      await c.end();
    }
  };
  const runAs = process.getuid?.() === 0 ? ['--user=root'] : [];
  const server = await startServerProcess({
    command: 'sh',
    args: (dir) => [
      '-c',
      [
        `printf '%s\\n' "CREATE USER '${user}'@'%' IDENTIFIED BY '${password}';" "GRANT ALL ON *.* TO '${user}'@'%';" > init.sql`,
        `mariadb-install-db --no-defaults --datadir=${dir}/data --auth-root-authentication-method=normal --skip-test-db ${runAs.length ? `--user=${userInfo().username}` : ''} >install.log 2>&1`,
        `exec ${process.env.STARTUP_TEST_MARIADBD ?? 'mariadbd'} --no-defaults --datadir=${dir}/data --port=${port} --bind-address=127.0.0.1 --socket=${dir}/sock --pid-file=${dir}/pid --init-file=${dir}/init.sql --skip-log-bin --skip-name-resolve --innodb-buffer-pool-size=16M --performance-schema=ON ${runAs.join(' ')}`,
      ].join(' && '),
    ],
    ready: () => observe((c) => c.query('SELECT 1')).then(() => true),
    readyWithinMs: 30_000,
  });
  return {
    port,
    user,
    password,
    url,
    connectionsNamed: (name) =>
      observe(async (c) => {
        const [rows] = await c.query<mysql.RowDataPacket[]>(
          "SELECT COUNT(*) AS n FROM performance_schema.session_connect_attrs WHERE ATTR_NAME = 'program_name' AND ATTR_VALUE = ?",
          [name],
        );
        return Number(rows[0]?.n ?? 0);
      }),
    async createDatabase(name) {
      if (!/^\w{1,64}$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      await observe((c) => c.query(`CREATE DATABASE IF NOT EXISTS \`${name}\``));
    },
    stop: () => server.stop(),
  };
}

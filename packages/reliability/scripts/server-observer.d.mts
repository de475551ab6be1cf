/** Looks at the shared servers from outside, through one long-lived connection each. */
export interface ServerObserver {
  /** Backends in `pg_stat_activity` with this `application_name`. */
  postgres(applicationName: string): Promise<number>;
  /** Connections in Redis' `CLIENT LIST` with this name. */
  redis(connectionName: string): Promise<number>;
  /** Connections in `information_schema.PROCESSLIST` on this database. */
  mysql(database: string): Promise<number>;
  close(): Promise<void>;
}

/** Opens a {@link ServerObserver} on the shared PostgreSQL, Redis and MariaDB. */
export declare function openServerObserver(): Promise<ServerObserver>;

/** Polls `read` until `done` says so or `withinMs` (milliseconds; defaults to 3000) passed; resolves with the last value. */
export declare function settle<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  withinMs?: number,
): Promise<T>;

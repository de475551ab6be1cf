/** A started client and how to close it. */
export interface Started<R> {
  resource: R;
  close(): Promise<void>;
}

/** Where the three servers are; `warmConnections` PostgreSQL connections are opened at start. */
export interface Targets {
  postgres: string;
  redis: string;
  nats: string;
  warmConnections: number;
}

export function startPostgres(url: string, warmConnections: number): Promise<Started<unknown>>;
export function startRedis(url: string): Promise<Started<unknown>>;
export function startNats(servers: string): Promise<Started<unknown>>;
export function startAll(targets: Targets): Promise<{ close(): Promise<void> }>;
export function startInSequence(targets: Targets): Promise<{ close(): Promise<void> }>;

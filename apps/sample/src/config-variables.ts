/** One environment variable of the sample: its name, default and meaning, as the README and `.env.example` list them. */
export interface ConfigVariable {
  name: string;
  /** The default, as written in `.env.example`; empty when unset by default. */
  default: string;
  description: string;
}

/** Every variable {@link loadConfig} reads. Tests check that `.env.example` and the README list exactly these. */
export const configVariables: readonly ConfigVariable[] = [
  { name: 'PORT', default: '8687', description: 'HTTP port; 0 picks a free one' },
  { name: 'HOST', default: '127.0.0.1', description: 'Interface to listen on (0.0.0.0 in containers)' },
  { name: 'DATABASE_URL', default: 'postgres://postgres@127.0.0.1:5432/test', description: 'PostgreSQL URL' },
  { name: 'REDIS_URL', default: 'redis://127.0.0.1:6379', description: 'Redis URL (redis:// or rediss://)' },
  {
    name: 'NATS_URL',
    default: 'nats://127.0.0.1:4222',
    description: 'NATS server(s), comma-separated; JetStream required',
  },
  {
    name: 'API_KEY',
    default: '',
    description: 'Key for GET /api/v1/stats (≥ 16 printable ASCII characters); unset disables it (403)',
  },
  {
    name: 'SERVICE_NAME',
    default: 'startup-sample',
    description: 'Connection names, Redis key prefix, history service',
  },
  {
    name: 'STARTUP_TIMEOUT_MS',
    default: '60000',
    description: 'Global start-up deadline; past it the process exits 1',
  },
  { name: 'ATTEMPT_TIMEOUT_MS', default: '10000', description: 'One connection attempt of one service' },
  { name: 'HEALTH_TIMEOUT_MS', default: '5000', description: "One service's health check" },
  {
    name: 'SHUTDOWN_TIMEOUT_MS',
    default: '10000',
    description: 'Whole graceful shutdown; past it the process exits 1',
  },
  {
    name: 'SHUTDOWN_DELAY_MS',
    default: '0',
    description: 'Readiness fails this long before the server stops accepting',
  },
  {
    name: 'HISTORY_STORE',
    default: 'file:.startup-history.jsonl',
    description: 'file:<path>, postgres[:<table>], redis[:<key>] or off; unset: $STARTUP_HISTORY_FILE',
  },
  {
    name: 'PG_WARM_CONNECTIONS',
    default: '10',
    description: 'PostgreSQL connections opened during the start (≤ PG_POOL_MAX)',
  },
  { name: 'PG_POOL_MAX', default: '20', description: 'Most PostgreSQL connections of the pool' },
  { name: 'LOG_LEVEL', default: 'info', description: 'fatal, error, warn, info, debug, trace or silent' },
  {
    name: 'STARTUP_GRADES',
    default: 'origin',
    description: 'Grade scale: origin (A < 15 s) or loopback (A < 150 ms)',
  },
  {
    name: 'STARTUP_VARIANT',
    default: '',
    description: 'Experiment arm recorded with each start, for startup-monitor compare; unset: none',
  },
  {
    name: 'STARTUP_BULKHEAD_MAX',
    default: '',
    description: "At most this many connectors' start attempts at once (1–100); unset: no limit",
  },
];

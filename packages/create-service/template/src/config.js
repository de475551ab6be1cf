// The configuration, read from the environment and checked before anything connects. Every variable the
// service reads is in `variables`, with its default; `.env.example` lists the same (test/config.test.js).

/** Every variable the service reads, with its default (an empty value means the default). */
export const variables = Object.freeze({
  // @insert variables
});

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** A bad configuration: every bad variable, each named, one a line. The service exits with status 2. */
export class ConfigError extends Error {
  constructor(problems) {
    super(`Invalid configuration (see .env.example):${problems.map((p) => `\n  - ${p}`).join('')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads and checks the configuration; throws one ConfigError naming every bad variable. */
export function loadConfig(env = process.env) {
  const problems = [];
  const value = (name) => env[name]?.trim() || variables[name];
  const integer = (name, min, max) => {
    const text = value(name);
    const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(n >= min && n <= max)) problems.push(`${name}: expected an integer between ${min} and ${max}`);
    return n;
  };
  const apiKey = value('API_KEY') || undefined;
  if (apiKey !== undefined && !/^[\x21-\x7e]{16,}$/.test(apiKey)) {
    problems.push('API_KEY: expected at least 16 printable ASCII characters, no spaces');
  }
  const serviceName = value('SERVICE_NAME');
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/i.test(serviceName)) {
    problems.push('SERVICE_NAME: expected letters, digits, ".", "_" or "-" (at most 63, no spaces)');
  }
  const logLevel = value('LOG_LEVEL').toLowerCase();
  if (!levels.includes(logLevel)) problems.push(`LOG_LEVEL: expected one of ${levels.join(', ')}`);
  const port = integer('PORT', 0, 65_535);
  // @if http
  // Unset, the upstream is this service itself, so it starts anywhere: replace it with yours.
  if (!value('UPSTREAM_URL') && port === 0) problems.push('UPSTREAM_URL: needed when PORT is 0');
  // @end
  const config = {
    port,
    host: value('HOST'),
    apiKey,
    serviceName,
    logLevel,
    startupTimeoutMs: integer('STARTUP_TIMEOUT_MS', 1, 86_400_000),
    shutdownTimeoutMs: integer('SHUTDOWN_TIMEOUT_MS', 1, 86_400_000),
    shutdownDelayMs: integer('SHUTDOWN_DELAY_MS', 0, 86_400_000),
    // @if postgres
    databaseUrl: value('DATABASE_URL'),
    // @end
    // @if redis
    redisUrl: value('REDIS_URL'),
    // @end
    // @if nats
    natsUrl: value('NATS_URL'),
    // @end
    // @if mysql
    mysqlUrl: value('MYSQL_URL'),
    // @end
    // @if amqp
    amqpUrl: value('AMQP_URL'),
    // @end
    // @if mqtt
    mqttUrl: value('MQTT_URL'),
    // @end
    // @if http
    upstreamUrl: value('UPSTREAM_URL') || `http://127.0.0.1:${port}/`,
    upstreamHealthPath: value('UPSTREAM_HEALTH_PATH'),
    // @end
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

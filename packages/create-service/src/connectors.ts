/** An environment variable a generated service reads: its name, its default (as `.env.example` writes it) and its meaning. */
export interface ServiceVariable {
  /** The variable's name, e.g. `DATABASE_URL`. */
  readonly name: string;
  /** The value `.env.example` shows and the service uses when it is unset or empty; `''` for none. */
  readonly default: string;
  /** One line, as `.env.example` and the README show it. */
  readonly description: string;
}

/** The connectors this repository ships, by the name a flag or a prompt gives. */
export type ConnectorName = 'postgres' | 'redis' | 'nats' | 'mysql' | 'amqp' | 'mqtt' | 'http';

/** A connector a generated service can use: its package and the variables its plugin is configured from. */
export interface Connector {
  /** The name given with `--connectors`, which is also the generated plugin's name, except `http` (`upstream`). */
  readonly name: ConnectorName;
  /** The package, e.g. `@startup/postgres`. */
  readonly package: string;
  /** What it connects to, for the prompt and the README. */
  readonly title: string;
  /** The variables the generated service reads for it. */
  readonly variables: readonly ServiceVariable[];
  /** Optional peers of the package that the generated code uses, installed with it. Defaults to none. */
  readonly optionalPeersUsed?: readonly string[];
}

/** Every connector, in the order the prompt lists them and the generated files use them. */
export const connectors: readonly Connector[] = [
  {
    name: 'postgres',
    package: '@startup/postgres',
    title: 'PostgreSQL',
    variables: [
      {
        name: 'DATABASE_URL',
        default: 'postgres://postgres@127.0.0.1:5432/test',
        description: 'PostgreSQL URL',
      },
    ],
  },
  {
    name: 'redis',
    package: '@startup/redis',
    title: 'Redis',
    variables: [
      {
        name: 'REDIS_URL',
        default: 'redis://127.0.0.1:6379',
        description: 'Redis URL (redis:// or rediss://)',
      },
    ],
  },
  {
    name: 'nats',
    package: '@startup/nats',
    title: 'NATS with JetStream',
    optionalPeersUsed: ['@nats-io/jetstream'],
    variables: [
      {
        name: 'NATS_URL',
        default: 'nats://127.0.0.1:4222',
        description: 'NATS server(s), comma-separated; JetStream required',
      },
    ],
  },
  {
    name: 'mysql',
    package: '@startup/mysql',
    title: 'MySQL or MariaDB',
    variables: [
      {
        name: 'MYSQL_URL',
        default: 'mysql://root@127.0.0.1:3306/test',
        description: 'MySQL or MariaDB URL (mysql:// or mariadb://)',
      },
    ],
  },
  {
    name: 'amqp',
    package: '@startup/amqp',
    title: 'RabbitMQ (AMQP 0-9-1)',
    variables: [
      {
        name: 'AMQP_URL',
        default: 'amqp://127.0.0.1:5672',
        description: 'RabbitMQ URL (amqp:// or amqps://); user guest when the URL names none',
      },
    ],
  },
  {
    name: 'mqtt',
    package: '@startup/mqtt',
    title: 'an MQTT broker',
    variables: [
      {
        name: 'MQTT_URL',
        default: 'mqtt://127.0.0.1:1883',
        description: 'MQTT broker URL (mqtt:// or mqtts://)',
      },
    ],
  },
  {
    name: 'http',
    package: '@startup/http',
    title: 'an HTTP upstream',
    variables: [
      {
        name: 'UPSTREAM_URL',
        default: '',
        description:
          'Base URL of the HTTP upstream; unset: this service itself (http://127.0.0.1:PORT/), to replace',
      },
      {
        name: 'UPSTREAM_HEALTH_PATH',
        default: '/health/live',
        description: "The upstream's health path, resolved against UPSTREAM_URL; ready once it answers 2xx",
      },
    ],
  },
];

/** The names `--connectors` accepts, in catalogue order. */
export const connectorNames: readonly ConnectorName[] = connectors.map((connector) => connector.name);

/**
 * The variables every generated service reads, whatever it connects to; `SERVICE_NAME`'s default is the
 * service's name. Descriptions and defaults are the sample's (a test proves they match).
 */
export function serviceVariables(name: string): readonly ServiceVariable[] {
  return [
    { name: 'PORT', default: '8687', description: 'HTTP port; 0 picks a free one' },
    { name: 'HOST', default: '127.0.0.1', description: 'Interface to listen on (0.0.0.0 in containers)' },
    {
      name: 'API_KEY',
      default: '',
      description: 'Key for GET /api/v1/stats (≥ 16 printable ASCII characters); unset disables it (403)',
    },
    {
      name: 'SERVICE_NAME',
      default: name,
      description: 'Connection names, Redis key prefix, monitor service',
    },
    {
      name: 'STARTUP_TIMEOUT_MS',
      default: '60000',
      description: 'Global start-up deadline; past it the process exits 1',
    },
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
    { name: 'LOG_LEVEL', default: 'info', description: 'fatal, error, warn, info, debug, trace or silent' },
  ];
}

import { optionSchema } from '@startup/core/plugin-kit';
import type { AmqpPluginOptions } from './options.js';

/**
 * The options of `amqp()`, declared once: each default, where it comes from and why. The accepted keys,
 * {@link amqpDefaults} and the README's options table are derived from it (a test fails when the README drifts).
 */
export const amqpOptionSchema = optionSchema<AmqpPluginOptions<string>>()(
  {
    name: { default: 'amqp', from: 'this package', why: 'Key of the connection in `app.resources`.' },
    url: {
      from: '—',
      why: '`amqp://[user[:password]@]host[:port][/vhost]` or `amqps://…` (TLS); the vhost is URL-encoded (`%2F` is `/`). Explicit fields below override its parts. Query strings are rejected: use the options.',
    },
    host: {
      default: '127.0.0.1',
      from: "RabbitMQ's listener, not amqplib's `localhost`",
      why: 'Node may resolve `localhost` to `::1` first, where a broker bound to 127.0.0.1 refuses.',
    },
    port: { default: 5672, shown: '`5672` (`5671` with TLS)', from: 'IANA / RabbitMQ', why: '' },
    vhost: {
      default: '/',
      from: "RabbitMQ's default vhost",
      why: 'A vhost that does not exist, or that the user may not use, fails at once (`STARTUP_ERR_AMQP_VHOST`).',
    },
    username: {
      default: 'guest',
      from: "amqplib's and RabbitMQ's default",
      why: 'RabbitMQ lets `guest` in from localhost only (`loopback_users`): set a user of your own anywhere else.',
    },
    password: {
      shown: '`guest` without a username',
      from: "amqplib's default",
      why: 'Never shown in errors, logs or reports. A rejected login fails at once (`STARTUP_ERR_AMQP_AUTH`).',
    },
    tls: { shown: 'on for `amqps://`', from: '—', why: '`true` or Node TLS options.' },
    connectionName: {
      default: 'startup',
      from: 'this package',
      why: "Sent as the client property `connection_name`: find the service's connection in `rabbitmqctl list_connections name client_properties` or the management UI.",
    },
    connectTimeoutMs: {
      default: 3_000,
      from: 'origin: health-check timeouts cut from 10 s to 3 s',
      why: "Budget of the whole handshake (TCP, TLS, AMQP start/tune/open) and, again, of the verifying channel. amqplib's `timeout` is a socket idle timeout, off by default: a broker that accepts and never answers would hang the start.",
    },
    heartbeatSeconds: {
      default: 60,
      from: "RabbitMQ's server default (`heartbeat = 60`)",
      why: "Asked of the server instead of taking whatever it suggests (amqplib's default): a broker configured with `heartbeat = 0` would otherwise leave a dead peer unnoticed until TCP gives up (minutes to hours). The lower non-zero value wins. A missed pair of heartbeats closes the connection and is reported down. `0` disables (not advised).",
    },
    frameMax: {
      default: 131_072,
      from: "amqplib's and RabbitMQ's default (128 KiB)",
      why: "Largest frame; a message body is split into frames of this size. Smaller frames interleave channels better, larger ones cost fewer frames per big message. `0`: the server's.",
    },
    channelMax: {
      default: 2_047,
      from: "RabbitMQ's server default (`channel_max = 2047`)",
      why: "Asked of the server instead of amqplib's `0` (take the server's, up to 65535): every channel is a process on the broker, and a service that leaks channels should fail at a known ceiling (\"No channels left to allocate\") rather than take the broker's memory. The lower non-zero value wins.",
    },
    reconnect: {
      default: Object.freeze({
        initialDelayMs: 50,
        multiplier: 2,
        maxDelayMs: 2_000,
        jitter: Object.freeze({ proportional: 0.2 }),
      }),
      shown: '`{ initialDelayMs: 50, multiplier: 2, maxDelayMs: 2000, jitter: { proportional: 0.2 } }`',
      from: "the Redis connector, exponential with jitter (core's `backoffDelay`)",
      why: "After start, a lost connection is reopened without limit: a long-lived service keeps trying while health and the breaker report it down. amqplib itself never reconnects a `ChannelModel`; the resource is one that delegates to the connection open now. Channels do not survive a loss: reopen them (a channel's own `close` event says when). `false`: the connection stays down. Never used while starting (core retries).",
    },
    retryUnresolvedHost: { default: true, from: 'this package', why: 'See "Unresolvable host" below.' },
  },
  [
    [
      '_(no option)_ channel pool',
      'none',
      'this package',
      'A connection multiplexes channels; the application opens its own (`createChannel`, `createConfirmChannel`), within `channelMax`. The plugin keeps none open after its verify step.',
    ],
  ],
);

/** The defaults of `amqp()`; see {@link amqpOptionSchema} (and the README) for where each comes from. */
export const amqpDefaults = amqpOptionSchema.defaults;

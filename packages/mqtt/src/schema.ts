import { optionSchema } from '@startup/core/plugin-kit';
import type { MqttPluginOptions } from './options.js';

/**
 * The options of `mqtt()`, declared once: each default, where it comes from and why. The accepted keys,
 * {@link mqttDefaults} and the README's options table are derived from it (a test fails when the README drifts).
 */
export const mqttOptionSchema = optionSchema<MqttPluginOptions<string>>()(
  {
    name: { default: 'mqtt', from: 'this package', why: 'Key of the client in `app.resources`.' },
    url: {
      from: '—',
      why: '`mqtt://[user[:password]@]host[:port]` or `mqtts://…` (TLS). Explicit fields below override its parts, e.g. a password from a secret store. Paths, queries and WebSocket URLs are refused.',
    },
    host: {
      default: '127.0.0.1',
      from: "Mosquitto's listener, not MQTT.js' `localhost`",
      why: 'Node may resolve `localhost` to `::1` first, where a broker bound to 127.0.0.1 refuses.',
    },
    port: {
      default: 1883,
      shown: '`1883` (`8883` for `mqtts://`)',
      from: 'IANA, the MQTT standard ports',
      why: '',
    },
    username: { from: '—', why: 'Sent in CONNECT.' },
    password: { from: '—', why: 'Sent in CONNECT. Never shown in errors, logs or reports.' },
    tls: { shown: 'on for `mqtts://`', from: '—', why: '`true` or Node TLS options (`ca`, `cert`, `key`…).' },
    clientId: {
      shown: "`'startup-'` + 12 random hex digits",
      from: "this package (MQTT.js: `'mqttjs_'` + 8)",
      why: 'A broker allows one connection per client id and closes the older one ("session taken over"): two replicas with a fixed id would kick each other off in a loop. Set a stable id only with `clean: false`, one per replica.',
    },
    protocolVersion: {
      default: 4,
      from: "MQTT.js' default (3.1.1)",
      why: 'Every broker speaks 3.1.1; `5` adds reason codes and the broker properties the health check shows.',
    },
    clean: {
      default: true,
      from: "MQTT.js' default, the protocol's clean session",
      why: 'A service subscribes again as it starts; a kept session would deliver what queued while it was away, to a client id that must then stay the same. With `false`, messages sent while disconnected wait on the broker for this client id.',
    },
    keepAliveSeconds: {
      default: 60,
      from: "MQTT.js' default (Mosquitto's clients too)",
      why: 'The client pings when idle; no answer within 1.5 × this closes the connection and the client reconnects. The broker drops a client silent for 1.5 × this. The health check (5 s timeout by default) reports a dead broker much sooner.',
    },
    connectTimeoutMs: {
      default: 3_000,
      from: 'origin: health-check timeouts cut from 10 s to 3 s (as the Redis connector)',
      why: "TCP, TLS, CONNECT and CONNACK. MQTT.js' 30 s would let one blackholed attempt use all of core's 10 s attempt budget.",
    },
    reconnectPeriodMs: {
      default: 1_000,
      from: "MQTT.js' default",
      why: 'After start only: the client reconnects every second, without limit, while health and the breaker report it down. `0`: the client stays down after a loss. While starting it never reconnects (core retries; see Start).',
    },
    retryUnresolvedHost: {
      default: true,
      from: 'this package (as every connector)',
      why: 'See "Unresolvable host" below.',
    },
    mqtt: {
      shown: '`{}`',
      from: '—',
      why: 'Other MQTT.js options, passed as they are (`will`, `properties`, `queueQoSZero`…). The options above, `reconnectOnConnackError`, `manualConnect` and the connection fields are refused here (`mqtt.reconnectPeriod`: set by the plugin).',
    },
  },
  [
    [
      '`reconnectOnConnackError`',
      '`false` (fixed)',
      "MQTT.js' default",
      'A broker that refuses the CONNECT (not authorised, banned) refuses it again: the start fails at once rather than retrying, and after start the client stays down, reported, rather than hammering the broker.',
    ],
  ],
);

/** The defaults of `mqtt()`; see {@link mqttOptionSchema} (and the README) for where each comes from. */
export const mqttDefaults = mqttOptionSchema.defaults;

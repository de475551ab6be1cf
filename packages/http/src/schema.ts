import { optionSchema } from '@startup/core/plugin-kit';
import type { HttpServicePluginOptions } from './options.js';

/**
 * The options of `httpService()`, declared once: each default, where it comes from and why. The accepted keys,
 * {@link httpServiceDefaults} and the README's options table are derived from it (a test fails when the README drifts).
 */
export const httpServiceOptionSchema = optionSchema<HttpServicePluginOptions<string>>()(
  {
    name: {
      shown: 'required',
      from: '—',
      why: 'Key of the upstream in `resources`; a service has several upstreams, so there is no default.',
    },
    url: {
      shown: 'required',
      from: '—',
      why: '`https://user:password@api.example.com:8443/v1/` (`http:` or `https:`, no fragment). User info becomes Basic authentication and is never shown. A query string is refused: send keys as `headers`.',
    },
    host: { from: '—', why: "Overrides the URL's host." },
    port: { from: "the scheme's (80 / 443)", why: "Overrides the URL's port." },
    user: { from: '—', why: "Basic authentication user; overrides the URL's. Not with `authorization`." },
    password: { from: '—', why: "Basic authentication password; overrides the URL's. Never shown." },
    authorization: {
      from: '—',
      why: 'The whole `Authorization` header (`Bearer …`). Never shown. Not with a user or password.',
    },
    headers: {
      shown: '`{}`',
      from: '—',
      why: 'Sent on every request (API keys…); every value is treated as a secret and never shown.',
    },
    healthPath: {
      default: '/health',
      from: 'common convention',
      why: "Resolved against `url` like a link: `'/health'` from the origin, `'health'` under the base path.",
    },
    expectStatus: {
      shown: 'any 2xx',
      from: 'the brief',
      why: 'A status or list of statuses that means ready.',
    },
    expectBody: {
      from: '—',
      why: 'A predicate on the body text; `false` or a throw means not ready yet (retried: an upstream warming up).',
    },
    maxHealthBodyBytes: {
      default: 65_536,
      from: 'this package',
      why: 'The body read for `expectBody` is bounded: a hostile or broken upstream cannot make the check read without end.',
    },
    connectTimeoutMs: {
      default: 5_000,
      from: 'origin 5 s health-check timeout, as `postgres()`',
      why: "One TCP (and TLS) connect. undici's own default is 10 s; 5 s leaves core's 10 s attempt room for a classified error.",
    },
    responseTimeoutMs: {
      default: 10_000,
      from: 'this package',
      why: "From sending to the response headers, and the most time between body chunks. undici's defaults are 300 s each: a silent upstream would hold a request for 5 minutes.",
    },
    keepAliveTimeoutMs: {
      default: 4_000,
      from: "undici's default",
      why: 'Idle sockets are reused for this long, then closed; below the 5 s keep-alive of Node and most servers, so the client closes first.',
    },
    maxConnections: {
      default: 64,
      from: 'this package',
      why: "undici's default is no limit: a burst would open a socket per request. `Infinity` restores that.",
    },
    retryUnresolvedHost: {
      default: true,
      from: 'this package (as every connector)',
      why: 'In Docker Compose and Kubernetes a service name resolves only once the service runs.',
    },
  },
  [
    [
      '_(Retry-After)_',
      'shown, not obeyed',
      'this package',
      "A 429 or 503 with `Retry-After` is retried on core's own backoff; the wait it asks for is in the message and on `cause.retryAfterMs`, in milliseconds. Set `retry` to wait longer.",
    ],
  ],
);

/** The defaults of `httpService()`; see {@link httpServiceOptionSchema} (and the README) for where each comes from. */
export const httpServiceDefaults = httpServiceOptionSchema.defaults;

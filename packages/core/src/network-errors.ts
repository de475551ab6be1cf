/**
 * Node's socket and DNS error codes that mean "not reachable now": a connector retries them. `ETIMEDOUT` is
 * included; `ENOTFOUND` is not (a connector decides: in Docker or Kubernetes a name resolves only once the
 * service exists).
 */
export const transientNetworkCodes: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'EAI_AGAIN',
]);

/** Codes of TLS and certificate failures (Node and OpenSSL): retrying will not fix them. */
export const tlsErrorCode =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_(VERIFY|GET)_)/;

import { StartupError } from '@startup/core';
import { invalidOption, redactUrl } from '@startup/core/plugin-kit';

/** What a broker URL says; absent parts are `undefined`. */
export interface BrokerUrlParts {
  host: string;
  port: number | undefined;
  username: string | undefined;
  password: string | undefined;
  /** `true` for `mqtts://`. */
  tls: boolean;
}

const field = 'url';

/**
 * Parses `mqtt://[user[:password]@]host[:port]` or `mqtts://…` (TLS). Throws `STARTUP_ERR_INVALID_OPTION`
 * naming `url`, with the password redacted, for anything else (WebSocket URLs included).
 */
export function parseBrokerUrl(url: unknown, plugin?: string): BrokerUrlParts {
  if (typeof url !== 'string' || url.length === 0) {
    throw invalidOption(field, 'an mqtt:// or mqtts:// URL', url, plugin);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidOption(field, 'a valid mqtt://[user:password@]host[:port] URL', redactUrl(url), plugin);
  }
  const shown = redactUrl(parsed);
  if (parsed.protocol !== 'mqtt:' && parsed.protocol !== 'mqtts:') {
    throw invalidOption(field, `the scheme mqtt:// or mqtts://, not ${parsed.protocol}//`, shown, plugin);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host.length === 0) throw invalidOption(field, 'a URL with a host', shown, plugin);
  if ((parsed.pathname !== '' && parsed.pathname !== '/') || parsed.search !== '' || parsed.hash !== '') {
    throw invalidOption(
      field,
      'a URL without path, query or fragment (use the options instead)',
      shown,
      plugin,
    );
  }
  const port = parsed.port === '' ? undefined : Number(parsed.port);
  if (port === 0) throw invalidOption(field, 'a URL with a port between 1 and 65535', shown, plugin);
  return {
    host,
    port,
    username: parsed.username === '' ? undefined : decode(parsed.username, 'username', plugin),
    password: parsed.password === '' ? undefined : decode(parsed.password, 'password', plugin),
    tls: parsed.protocol === 'mqtts:',
  };
}

function decode(text: string, part: 'username' | 'password', plugin: string | undefined): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // Never echo the text: it may be (part of) the password.
    throw new StartupError(
      'STARTUP_ERR_INVALID_OPTION',
      `Invalid option "url"${plugin === undefined ? '' : ` of plugin "${plugin}"`}: the ${part} is not valid percent-encoding`,
      { plugin, retryable: false },
    );
  }
}

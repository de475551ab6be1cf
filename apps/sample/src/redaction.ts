import { redactSecrets } from '@startup/core/plugin-kit';
import type { Config } from './config.js';

/** Removes every secret of the configuration from a text. */
export type Redact = (text: string) => string;

/**
 * The literal secrets of a configuration: URL passwords and tokens (as written and decoded), the API key.
 * JSON-escaped forms are included so a secret is caught inside a serialised log line as well.
 */
export function secretsOf(config: Pick<Config, 'databaseUrl' | 'redisUrl' | 'natsUrl' | 'apiKey'>): string[] {
  const found = new Set<string>();
  const add = (value: string | undefined) => {
    if (value === undefined || value.length === 0) return;
    found.add(value);
    found.add(JSON.stringify(value).slice(1, -1));
  };
  for (const url of [config.databaseUrl, config.redisUrl, ...config.natsUrl.split(',')]) {
    const userInfo = /^[a-z][a-z0-9+.-]*:\/\/([^@/?#]*)@/i.exec(url.trim())?.[1];
    if (userInfo === undefined) continue;
    const colon = userInfo.indexOf(':');
    // NATS takes `nats://token@host`: without a colon the user part is the secret.
    const secret =
      colon === -1 ? (url.trim().startsWith('nats') ? userInfo : undefined) : userInfo.slice(colon + 1);
    add(secret);
    if (secret !== undefined) add(safeDecode(secret));
  }
  add(config.apiKey);
  // Longest first, so a secret containing another is removed whole.
  return [...found].sort((a, b) => b.length - a.length);
}

/** A {@link Redact} for `secrets`, also masking any `user:password@` in URLs. */
export function redactor(secrets: readonly string[]): Redact {
  return (text) => redactSecrets(text, secrets);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

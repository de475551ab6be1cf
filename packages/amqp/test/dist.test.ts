import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// The built output, on purpose: this is what users import.
import { amqp, amqpDefaults, classifyAmqpError } from '../dist/index.js';

describe('the built package', () => {
  it('makes an amqp plugin with its defaults, validating options before connecting', () => {
    const plugin = amqp({ connectionName: 'dist-smoke' });
    expect(plugin.name).toBe('amqp');
    expect(typeof plugin.init).toBe('function');
    expect(typeof plugin.close).toBe('function');
    expect(typeof plugin.healthCheck).toBe('function');
    expect(amqpDefaults.heartbeatSeconds).toBe(60);
    expect(() => amqp({ url: 'http://broker' })).toThrow(
      expect.objectContaining({ code: 'STARTUP_ERR_INVALID_OPTION' }),
    );
  });

  it('classifies errors', () => {
    expect(
      classifyAmqpError(new Error('Handshake terminated by server: 403 (ACCESS-REFUSED) with message "…"')),
    ).toMatchObject({ retryable: false, code: 'STARTUP_ERR_AMQP_AUTH' });
  });

  it('leaves amqplib to the application and loads under plain Node', () => {
    const built = new URL('../dist/index.js', import.meta.url);
    expect(readFileSync(built, 'utf8')).toMatch(/from "amqplib"/);
    const loaded = execFileSync(process.execPath, [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(built.href)}); console.log(typeof m.amqp);`,
    ]);
    expect(loaded.toString().trim()).toBe('function');
  });
});

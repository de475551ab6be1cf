import { isStartupError } from '@startup/core';
import { pluginContext, resourceContext, startSecuredMariadb } from '@startup/test-kit';
import { expect, it } from 'vitest';
import { mysql } from '../src/index.js';

it('starts on a server that needs a password (its connections carry applicationName), and fails at once with a wrong one, never showing either', async () => {
  const server = await startSecuredMariadb('right-Pa55');
  try {
    await server.createDatabase('secured');
    const plugin = mysql({ url: `${server.url}secured`, applicationName: 'secured-test' });
    const { ctx, record } = pluginContext();
    const pool = await plugin.init(ctx);
    expect(await server.connectionsNamed('secured-test')).toBe(2);
    await plugin.close?.(pool, resourceContext());
    await expect.poll(() => server.connectionsNamed('secured-test')).toBe(0);
    expect(record.logs.join('\n')).not.toContain('right-Pa55');

    const wrong = mysql({ port: server.port, host: '127.0.0.1', user: server.user, password: 'wrong-Pa55' });
    const error = await Promise.resolve(wrong.init(pluginContext().ctx)).catch((e: unknown) => e);
    expect(isStartupError(error) && error.code).toBe('STARTUP_ERR_MYSQL_AUTH');
    expect(isStartupError(error) && error.retryable).toBe(false);
    expect(JSON.stringify(error)).not.toContain('wrong-Pa55');
    expect(String((error as Error).message)).not.toContain('wrong-Pa55');
  } finally {
    await server.stop();
  }
});

// The entry: checks the configuration (status 2 when bad, naming each variable), listens, starts the services,
// and shuts down gracefully on SIGTERM or SIGINT (status 0, or 1 when a close failed or timed out).
import { ConfigError, loadConfig } from './config.js';
import { createService } from './service.js';

let service;
try {
  service = await createService(loadConfig(), {
    onShutdown: (error) => {
      if (error) service.log.error({ err: error.message }, 'shutdown completed with errors');
      process.exitCode = error ? 1 : (process.exitCode ?? 0);
    },
  });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}

const port = await service.listen();
service.log.info({ port }, 'probes answering; starting services');
try {
  await service.start();
  service.log.info({ plugins: Object.keys(service.app.resources) }, 'started: ready for traffic');
} catch (error) {
  // A signal during the start cancels it: that is the shutdown under way, not a failure.
  if (service.app.state !== 'stopping' && service.app.state !== 'stopped') {
    service.log.error({ err: error.message }, 'start failed');
    process.exitCode = 1;
    await service.stop().catch(() => {});
  }
}

import { type Config, ConfigError, readConfig } from './config.js';
import { createServices, type Services } from './services.js';

/**
 * Reads the configuration and builds every plugin, which validates the connectors' options: nothing
 * connects. Throws one {@link ConfigError} naming every bad variable, the environment's and the
 * connectors' problems together.
 */
export function loadSample(env: Readonly<Record<string, string | undefined>>): {
  config: Config;
  services: Services;
} {
  const { config, problems } = readConfig(env);
  let services: Services | undefined;
  let more: readonly string[] = [];
  try {
    services = createServices(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    more = error.problems;
  }
  if (problems.length > 0 || services === undefined) throw new ConfigError([...problems, ...more]);
  return { config, services };
}

import { permanentError } from './errors.js';

/** Where a connector's client library comes from: `() => import('pg')`, a literal specifier bundlers follow. */
export type LibraryLoader<Namespace> = () => Promise<Namespace>;

/**
 * Loads a connector's client library when a plugin first needs it (in `init`), not when the connector is
 * imported: the application's code loads faster, and while one plugin's library loads, the handshakes another
 * plugin already began go on. Returns the library's exports whichever way it was built: an ES module's namespace,
 * or a CommonJS module's `module.exports` (found under `default` when a bundler wrapped it, where Node itself also
 * lists the names). `probe` is one name the library exports, which tells the two apart. A library that cannot be
 * loaded is a permanent `STARTUP_ERR_PLUGIN_FAILED` naming the plugin and the package to install.
 * @example const { Redis } = await loadClientLibrary(() => import('ioredis'), 'Redis', { plugin: name, package: 'ioredis' });
 */
export async function loadClientLibrary<Namespace extends object, Probe extends string>(
  load: LibraryLoader<Namespace>,
  probe: Probe,
  where: { plugin: string; package: string },
): Promise<Namespace> {
  let namespace: Namespace;
  try {
    namespace = await load();
  } catch (cause) {
    throw permanentError(
      'STARTUP_ERR_PLUGIN_FAILED',
      `Plugin "${where.plugin}": cannot load ${where.package}: add it to the application's dependencies`,
      where.plugin,
      cause,
    );
  }
  if (probe in namespace) return namespace;
  const wrapped = (namespace as { default?: unknown }).default;
  // module.exports may be a function with the names as properties (ioredis exports its Redis class so).
  const isObject = (typeof wrapped === 'object' && wrapped !== null) || typeof wrapped === 'function';
  return isObject && probe in wrapped ? (wrapped as Namespace) : namespace;
}

import { permanentError } from './errors.js';

/** Where a connector's client library comes from: `() => import('pg')`, a literal specifier bundlers follow. */
export type LibraryLoader<Namespace> = () => Promise<Namespace>;

/**
 * Loads a connector's client library when a plugin first needs it (in `init`), not when the connector is
 * imported: the application's code loads faster, and while one plugin's library loads, the handshakes another
 * plugin already began go on. Returns the library's exports whichever way it was built: an ES module's namespace,
 * or a CommonJS module's `module.exports` (found under `default` when a bundler wrapped it, where Node itself also
 * lists the names). `probe` is one name the library exports, which tells the two apart. A library that cannot be
 * loaded is a permanent `STARTUP_ERR_PLUGIN_FAILED` naming the plugin and the package to install. A `load` function
 * that succeeded once is not called again (keep it in a module constant): `import()` of a module already loaded
 * still resolves its specifier, ~0.1 ms at every start.
 * @example const { Redis } = await loadClientLibrary(() => import('ioredis'), 'Redis', { plugin: name, package: 'ioredis' });
 */
export async function loadClientLibrary<Namespace extends object, Probe extends string>(
  load: LibraryLoader<Namespace>,
  probe: Probe,
  where: { plugin: string; package: string },
): Promise<Namespace> {
  const known = loaded.get(load);
  if (known !== undefined) return known as Namespace;
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
  const wrapped = (namespace as { default?: unknown }).default;
  // module.exports may be a function with the names as properties (ioredis exports its Redis class so).
  const isObject = (typeof wrapped === 'object' && wrapped !== null) || typeof wrapped === 'function';
  const library = !(probe in namespace) && isObject && probe in wrapped ? (wrapped as Namespace) : namespace;
  loaded.set(load, library);
  return library;
}

/** Libraries already loaded, by the function that loaded them. */
const loaded = new WeakMap<LibraryLoader<object>, object>();

// The entry: it holds SIGTERM/SIGINT before the application's bundle (megabytes: ~100 ms to load) is
// imported, so a signal at any moment after Node ran this line ends in a graceful shutdown.
import * as nodeModule from 'node:module';
import { holdSignals } from './signal-gate.js';

// Node runs this line once it booted: the first of the start's timing marks (milliseconds since the process began).
const bootedMs = performance.now();
const signals = holdSignals();
// Node 22.1 and later keep the bytecode of the bundle (NODE_COMPILE_CACHE, else a directory under the system's
// temporary one): later starts skip compiling it. Absent on Node 20; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
// A specifier the bundler does not follow: dist/app.js stays its own file, loaded only from here.
const app = './app.js';
const { main } = (await import(app)) as typeof import('./app.js');
await main(signals, { bootedMs, loadedMs: performance.now() });

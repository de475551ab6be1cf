// The entry: it holds SIGTERM/SIGINT before the application's bundle (megabytes: ~200 ms to load) is
// imported, so a signal at any moment after Node ran this line ends in a graceful shutdown.
import { holdSignals } from './signal-gate.js';

const signals = holdSignals();
// A specifier the bundler does not follow: dist/app.js stays its own file, loaded only from here.
const app = './app.js';
const { main } = (await import(app)) as typeof import('./app.js');
await main(signals);

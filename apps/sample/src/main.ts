// The entry: it holds SIGTERM/SIGINT before the application's bundle (megabytes: ~200 ms to load) is
// imported, so a signal at any moment after Node ran this line ends in a graceful shutdown.
import { holdSignals } from './signal-gate.js';

const signals = holdSignals();
const { main } = await import('./app.js');
await main(signals);

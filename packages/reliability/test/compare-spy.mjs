// Preloaded into the sample app's process (node --import): every crypto.timingSafeEqual call appends its
// two arguments, hex, as one JSON line to COMPARE_SPY_FILE, so a test sees what the running app compares.
// The app's own `import { timingSafeEqual } from 'node:crypto'` sees the wrapper through
// syncBuiltinESMExports. Only digests pass through it, never a key.
import crypto from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const file = process.env.COMPARE_SPY_FILE;
const real = crypto.timingSafeEqual;
crypto.timingSafeEqual = (a, b) => {
  appendFileSync(
    file,
    `${JSON.stringify([Buffer.from(a).toString('hex'), Buffer.from(b).toString('hex')])}\n`,
  );
  return real(a, b);
};
syncBuiltinESMExports();

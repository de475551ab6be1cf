// Every test file fails when code of ours made Node print a process warning (a deprecation, an experimental
// feature, too many listeners…) on the Node it runs on. A warning whose first frame outside Node is in
// node_modules is a third party's (e.g. pg's sslmode notice for a URL a test passes on purpose) and is left.
import { afterAll, expect } from 'vitest';

const ours: string[] = [];

function firstFrameOutsideNode(stack: string | undefined): string | undefined {
  return stack
    ?.split('\n')
    .slice(1)
    .map((line) => line.trim())
    .find((line) => line.startsWith('at ') && !line.includes('node:'));
}

process.on('warning', (warning) => {
  const frame = firstFrameOutsideNode(warning.stack);
  if (frame !== undefined && !frame.includes('/node_modules/'))
    ours.push(`${warning.name}: ${warning.message} (${frame})`);
});

afterAll(() => {
  expect(ours, `process warnings of ours on Node ${process.version}`).toEqual([]);
});

// `@startup/test-kit/clock`: fake time alone, for unit tests that need nothing else of the kit. The root entry
// also loads pg, ioredis and the server helpers, which cost a unit test file about two seconds to import.

export type { TestClock, TestClockOptions } from './fake-clock.js';
export { createTestClock } from './fake-clock.js';
export { delay, useFakeTime } from './fake-time.js';

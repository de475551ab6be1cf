let counter = 0;

/**
 * A client name (`startup-test-<label>-<pid>-<n>`) no other test uses, so the connections a test opened
 * can be found on a shared server (Redis `CLIENT LIST`, PostgreSQL `application_name`, NATS `/connz`)
 * while other test files run in parallel.
 */
export function uniqueName(label: string): string {
  counter += 1;
  return `startup-test-${label}-${process.pid}-${counter}`;
}

// Log lines as JSON on stdout, at LOG_LEVEL and above; the shape of core's Logger, which the probes use too.
const order = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** A logger writing JSON lines at `level` and above (`silent`: none). */
export function logger(level) {
  const threshold = level === 'silent' ? order.length : order.indexOf(level);
  // Both orders: core's (message, fields) and pino's (fields, message).
  const line = (name) => (first, second) => {
    if (order.indexOf(name) < threshold) return;
    const [data, msg] = typeof first === 'string' ? [second ?? {}, first] : [first, second];
    process.stdout.write(`${JSON.stringify({ level: name, time: Date.now(), msg, ...data })}\n`);
  };
  return Object.fromEntries(order.map((name) => [name, line(name)]));
}

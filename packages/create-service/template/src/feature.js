// The service's one feature, a round trip through every service it uses: replace it with your own. Each
// resource is the client library's own object (a pg Pool, an ioredis client…), ready and healthy when the
// start resolved.

/** Touches each service once and says what each answered. `resources` are the started plugins' resources. */
export async function roundTrip(resources, config) {
  const serviceName = config.serviceName;
  const answers = {};
  // @if postgres
  const { rows } = await resources.postgres.query('select 41 + 1 as answer');
  answers.postgres = rows[0].answer;
  // @end
  // @if redis
  answers.redis = await resources.redis.incr(`${serviceName}:round-trips`);
  // @end
  // @if nats
  const subject = `${serviceName}.round-trip.${process.pid}`;
  const echo = resources.nats.nc.subscribe(subject, {
    max: 1,
    callback: (_error, message) => message.respond(message.data),
  });
  answers.nats = (await resources.nats.nc.request(subject, 'ping', { timeout: 5_000 })).string();
  await echo.closed;
  // @end
  // @if mysql
  const [mysqlRows] = await resources.mysql.query('select 6 * 7 as answer');
  answers.mysql = mysqlRows[0].answer;
  // @end
  // @if amqp
  answers.amqp = await amqpRoundTrip(resources.amqp);
  // @end
  // @if mqtt
  await resources.mqtt.publishAsync(`${serviceName}/round-trip`, 'hello', { qos: 1 });
  answers.mqtt = 'published';
  // @end
  // @if http
  answers.upstream = (await resources.upstream.fetch(config.upstreamHealthPath)).status;
  // @end
  return { service: serviceName, answers };
}
// @if amqp

/** Sends a message to a queue of its own and reads it back. */
async function amqpRoundTrip(connection) {
  const channel = await connection.createChannel();
  try {
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    channel.sendToQueue(queue, Buffer.from('queued'));
    for (let attempt = 0; attempt < 50; attempt++) {
      const message = await channel.get(queue, { noAck: true });
      if (message) return message.content.toString();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the message sent to RabbitMQ did not come back within 1 s');
  } finally {
    await channel.close();
  }
}
// @end

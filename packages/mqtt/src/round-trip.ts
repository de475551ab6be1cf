import type { MqttClient, Packet } from 'mqtt';

/**
 * Sends a PINGREQ and resolves with the time to the next PINGRESP, in milliseconds (a keep-alive ping's answer
 * counts too: it still proves the broker answers on this connection). Rejects with a `CLOSED` error when the
 * connection closes first. Bound it with a signal: it waits as long as the broker is silent.
 */
export function pingRoundTrip(client: MqttClient): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const onPacket = (packet: Packet) => {
      if (packet.cmd !== 'pingresp') return;
      done();
      resolve(Math.round((performance.now() - started) * 100) / 100);
    };
    const onClose = () => {
      done();
      reject(Object.assign(new Error('connection closed before the PINGRESP'), { code: 'CLOSED' }));
    };
    const done = () => {
      client.off('packetreceive', onPacket);
      client.off('close', onClose);
    };
    client.on('packetreceive', onPacket);
    client.on('close', onClose);
    client.sendPing();
  });
}

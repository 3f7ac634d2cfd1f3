import { connect, createServer, type Socket } from 'node:net';
import type { ISocketFactory } from 'kafkajs';

/** A promise with its resolve and reject in hand (a Kafka commit or a store answer a test holds). */
export function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Kafka that a test can cut: the producer's sockets (kafkajs `socketFactory`) go to the real broker
 * until `cut()`, which destroys them and sends every new one to a port nothing listens on, until
 * `restore()`.
 */
export async function cuttableKafka(): Promise<{
  socketFactory: ISocketFactory;
  cut(): void;
  restore(): void;
}> {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
  const closedPort = (closed.address() as { port: number }).port;
  await new Promise((r) => closed.close(r));
  let isCut = false;
  const sockets = new Set<Socket>();
  return {
    socketFactory: ({ host, port, onConnect }) => {
      const socket = connect({ host, port: isCut ? closedPort : port }, onConnect);
      socket.setKeepAlive(true, 60_000);
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      return socket;
    },
    cut() {
      isCut = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      isCut = false;
    },
  };
}

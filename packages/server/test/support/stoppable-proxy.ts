import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a shared server (PostgreSQL) that a test can stop and start again
 * on the same port: while stopped, open connections are cut and new ones are refused, which is what
 * clients see of a server that went down, without stopping the server everyone else uses.
 */
export class StoppableProxy {
  readonly #targetPort: number;
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #port = 0;

  private constructor(targetPort: number) {
    this.#targetPort = targetPort;
  }

  static async start(targetPort: number): Promise<StoppableProxy> {
    const proxy = new StoppableProxy(targetPort);
    await proxy.resume();
    return proxy;
  }

  /** The port clients connect to; the same before and after a stop. */
  get port(): number {
    return this.#port;
  }

  /** Cuts every open connection and refuses new ones. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    if (!server) return;
    server.close();
    await once(server, 'close');
  }

  /** Accepts and forwards connections again, on the same port as before. */
  async resume(): Promise<void> {
    if (this.#server) return;
    const server = createServer((client) => this.#forward(client));
    server.listen(this.#port, '127.0.0.1');
    await once(server, 'listening');
    this.#port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  #forward(client: Socket): void {
    const upstream = createConnection({ host: '127.0.0.1', port: this.#targetPort });
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        this.#sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

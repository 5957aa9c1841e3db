import {
  createServer,
  request as forward,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';

/** One request the proxy handled: a CONNECT tunnel (https targets) or a forwarded absolute URI (http). */
export interface ProxiedRequest {
  method: string;
  /** `host:port` for CONNECT, the absolute URI otherwise. */
  target: string;
  proxyAuthorization: string | undefined;
}

/**
 * A forward proxy on 127.0.0.1 for transport tests, speaking what egress proxies speak: CONNECT
 * tunnels and absolute-URI forwarding. It only reaches loopback targets and records every request,
 * so a test can tell whether a call went through it.
 */
export class ForwardProxy {
  readonly requests: ProxiedRequest[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  url = '';

  private constructor() {
    this.#server = createServer((request, response) => this.#forward(request, response));
    this.#server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) =>
      this.#tunnel(request, client, head),
    );
    this.#server.on('connection', (socket: Socket) => this.#track(socket));
  }

  static async start(): Promise<ForwardProxy> {
    const proxy = new ForwardProxy();
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    proxy.url = `http://127.0.0.1:${(proxy.#server.address() as AddressInfo).port}`;
    return proxy;
  }

  get tunnels(): ProxiedRequest[] {
    return this.requests.filter((request) => request.method === 'CONNECT');
  }

  get forwarded(): ProxiedRequest[] {
    return this.requests.filter((request) => request.method !== 'CONNECT');
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #record(request: IncomingMessage): void {
    const authorization = request.headers['proxy-authorization'];
    this.requests.push({
      method: request.method ?? '',
      target: request.url ?? '',
      proxyAuthorization: authorization,
    });
  }

  #tunnel(request: IncomingMessage, client: Socket, head: Buffer): void {
    this.#record(request);
    const { hostname, port } = new URL(`http://${request.url}`);
    if (hostname !== '127.0.0.1') {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = this.#track(connect(Number(port), hostname));
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  }

  #forward(request: IncomingMessage, response: ServerResponse): void {
    this.#record(request);
    const target = URL.canParse(request.url ?? '') ? new URL(request.url!) : undefined;
    if (target?.protocol !== 'http:' || target.hostname !== '127.0.0.1') {
      response.writeHead(400).end('absolute http:// URI to 127.0.0.1 expected');
      return;
    }
    const { 'proxy-authorization': _credentials, 'proxy-connection': _hint, ...headers } = request.headers;
    const upstream = forward(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: `${target.pathname}${target.search}`,
        headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  }

  #track(socket: Socket): Socket {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    return socket;
  }
}

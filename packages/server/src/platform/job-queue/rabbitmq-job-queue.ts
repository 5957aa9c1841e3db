import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import {
  type ConsumeOptions,
  type Consumer,
  type JobQueue,
  type MessageHandler,
  type QueueMessage,
  type QueuePriority,
  queuePriorities,
} from './job-queue.ts';
import { RabbitmqTopology } from './rabbitmq-topology.ts';

export interface RabbitmqJobQueueOptions {
  url: string;
  /** Prefix of every exchange and queue; tests use one of their own. */
  prefix: string;
}

type Amqp = typeof import('amqplib');

/**
 * RabbitMQ: durable quorum queues per priority, persistent messages published with confirms, manual
 * acks under a prefetch, a dead-letter exchange for messages over the delivery limit, and delay queues
 * for retries. A consumer whose connection dies leaves its unacked messages to the broker, which
 * delivers them again; consumers reconnect on their own.
 */
export class RabbitmqJobQueue implements JobQueue {
  readonly backend = 'rabbitmq';
  readonly topology: RabbitmqTopology;
  readonly #amqp: Amqp;
  readonly #url: string;
  #connection: Promise<ChannelModel> | undefined;
  #publisher: Promise<ConfirmChannel> | undefined;
  #closed = false;

  private constructor(amqp: Amqp, options: RabbitmqJobQueueOptions) {
    this.#amqp = amqp;
    this.#url = options.url;
    this.topology = new RabbitmqTopology(options.prefix);
  }

  static async create(options: RabbitmqJobQueueOptions): Promise<RabbitmqJobQueue> {
    return new RabbitmqJobQueue(await import('amqplib'), options);
  }

  /** The shared connection, opened (and the topology declared) on first use and after a loss. */
  connection(): Promise<ChannelModel> {
    if (this.#closed) return Promise.reject(new Error('the queue is closed'));
    this.#connection ??= this.#connect().catch((error: unknown) => {
      this.#connection = undefined;
      throw error;
    });
    return this.#connection;
  }

  async #connect(): Promise<ChannelModel> {
    const connection = await this.#amqp.connect(this.#url, { timeout: 3000 });
    const forget = () => {
      this.#connection = undefined;
      this.#publisher = undefined;
    };
    connection.on('error', forget);
    connection.on('close', forget);
    const channel = await connection.createChannel();
    await this.topology.declare(channel);
    await channel.close();
    return connection;
  }

  async #confirmChannel(): Promise<ConfirmChannel> {
    this.#publisher ??= this.connection()
      .then(async (connection) => {
        const channel = await connection.createConfirmChannel();
        channel.on('error', () => {});
        channel.on('close', () => {
          this.#publisher = undefined;
        });
        return channel;
      })
      .catch((error: unknown) => {
        this.#publisher = undefined;
        throw error;
      });
    return this.#publisher;
  }

  async enqueue(messages: QueueMessage[], options: { priority: QueuePriority; delayMs?: number }) {
    const channel = await this.#confirmChannel();
    const delayed = (options.delayMs ?? 0) > 0;
    const level = delayed ? this.topology.delayLevel(options.delayMs!) : 0;
    for (const message of messages) {
      const content = Buffer.from(JSON.stringify({ jobId: message.jobId, index: message.index }));
      const properties = { persistent: true, contentType: 'application/json' };
      if (delayed) {
        channel.publish(this.topology.delayExchange, options.priority, content, {
          ...properties,
          headers: { 'delay-level': String(level) },
        });
      } else {
        channel.publish(this.topology.workExchange, options.priority, content, properties);
      }
    }
    // Publisher confirms: the broker has the messages on disk before the caller is told they are queued.
    await channel.waitForConfirms();
  }

  async consume(handler: MessageHandler, options: ConsumeOptions): Promise<Consumer> {
    const consumer = new RabbitmqConsumer(this, handler, Math.max(1, options.concurrency));
    await consumer.start();
    return consumer;
  }

  async depth(): Promise<Record<QueuePriority, number>> {
    const connection = await this.connection();
    const channel = await connection.createChannel();
    try {
      const depth = { high: 0, default: 0, batch: 0 };
      for (const priority of queuePriorities) {
        depth[priority] = (await channel.checkQueue(this.topology.queueOf(priority))).messageCount;
      }
      return depth;
    } finally {
      await channel.close().catch(() => {});
    }
  }

  async ping(): Promise<void> {
    const connection = await this.connection();
    const channel = await connection.createChannel();
    await channel.checkExchange(this.topology.workExchange);
    await channel.close();
  }

  async close(): Promise<void> {
    this.#closed = true;
    const connection = await this.#connection?.catch(() => undefined);
    await connection?.close().catch(() => {});
  }

  /** Deletes this prefix's queues and exchanges, then closes (tests). */
  async destroy(): Promise<void> {
    const connection = await this.connection();
    const channel = await connection.createChannel();
    await this.topology.remove(channel);
    await channel.close();
    await this.close();
  }
}

class RabbitmqConsumer implements Consumer {
  readonly #queue: RabbitmqJobQueue;
  readonly #handler: MessageHandler;
  readonly #concurrency: number;
  readonly #inFlight = new Set<Promise<void>>();
  #channel: Channel | undefined;
  #tags: string[] = [];
  #stopped = false;

  constructor(queue: RabbitmqJobQueue, handler: MessageHandler, concurrency: number) {
    this.#queue = queue;
    this.#handler = handler;
    this.#concurrency = concurrency;
  }

  async start(): Promise<void> {
    const connection = await this.#queue.connection();
    const channel = await connection.createChannel();
    channel.on('error', () => {});
    channel.on('close', () => this.#reconnectLater(channel));
    await channel.prefetch(this.#concurrency);
    this.#tags = [];
    for (const priority of queuePriorities) {
      const { consumerTag } = await channel.consume(
        this.#queue.topology.queueOf(priority),
        (message) => {
          if (message) this.#track(this.#handle(channel, message, priority));
        },
        { noAck: false },
      );
      this.#tags.push(consumerTag);
    }
    this.#channel = channel;
  }

  #reconnectLater(channel: Channel): void {
    if (this.#stopped || this.#channel !== channel) return;
    this.#channel = undefined;
    const retry = () => {
      if (this.#stopped) return;
      this.start().catch(() => setTimeout(retry, 1000).unref());
    };
    setTimeout(retry, 500).unref();
  }

  #track(run: Promise<void>): void {
    this.#inFlight.add(run);
    void run.finally(() => this.#inFlight.delete(run));
  }

  async #handle(channel: Channel, message: ConsumeMessage, priority: QueuePriority): Promise<void> {
    let body: QueueMessage;
    try {
      body = JSON.parse(message.content.toString('utf8')) as QueueMessage;
    } catch {
      channel.nack(message, false, false); // not ours: straight to the dead-letter exchange
      return;
    }
    try {
      const outcome = await this.#handler(body, priority);
      if (outcome.kind === 'retry') await this.#queue.enqueue([body], { priority, delayMs: outcome.delayMs });
    } catch {
      // Back to the queue after a pause; past the delivery limit the broker dead-letters it.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      try {
        channel.nack(message, false, true);
      } catch {
        // The channel is gone: the broker redelivers the message anyway.
      }
      return;
    }
    try {
      channel.ack(message);
    } catch {
      // The channel is gone: the broker redelivers the message, and the handler finds it done.
    }
  }

  async stop(timeoutMs: number): Promise<void> {
    this.#stopped = true;
    const channel = this.#channel;
    this.#channel = undefined;
    if (!channel) return;
    // No new deliveries, then wait for what is in hand.
    for (const tag of this.#tags) await channel.cancel(tag).catch(() => {});
    const settled = Promise.allSettled([...this.#inFlight]);
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    // Unacked messages go back to their queues when the channel closes.
    await channel.close().catch(() => {});
  }
}

import type { Channel } from 'amqplib';
import { type QueuePriority, queuePriorities } from './job-queue.ts';

/** Delay queues, in seconds: a retry waits in the first one at least as long as its delay. */
const delayLevelsSeconds = [1, 2, 4, 8, 16, 32, 64, 128, 256] as const;
/** Deliveries of one message before the broker dead-letters it (a handler that keeps failing). */
const deliveryLimit = 20;

/** The names of one installation's exchanges and queues, all under its prefix. */
export class RabbitmqTopology {
  readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix;
  }

  get workExchange(): string {
    return `${this.prefix}.work`;
  }
  get delayExchange(): string {
    return `${this.prefix}.delay`;
  }
  get deadExchange(): string {
    return `${this.prefix}.dead`;
  }
  get deadQueue(): string {
    return `${this.prefix}.dead`;
  }
  queueOf(priority: QueuePriority): string {
    return `${this.prefix}.${priority}`;
  }
  /** The delay level (seconds) for a delay: the shortest level not shorter than it. */
  delayLevel(delayMs: number): number {
    return delayLevelsSeconds.find((seconds) => seconds * 1000 >= delayMs) ?? delayLevelsSeconds.at(-1)!;
  }

  /**
   * Declares everything (idempotent): durable quorum work queues per priority bound to a direct
   * exchange, a dead-letter exchange and queue for messages over the delivery limit, and delay
   * queues whose expired messages return to the work exchange under their original routing key.
   */
  async declare(channel: Channel): Promise<void> {
    await channel.assertExchange(this.workExchange, 'direct', { durable: true });
    await channel.assertExchange(this.deadExchange, 'fanout', { durable: true });
    await channel.assertExchange(this.delayExchange, 'headers', { durable: true });
    await channel.assertQueue(this.deadQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.bindQueue(this.deadQueue, this.deadExchange, '');
    for (const priority of queuePriorities) {
      const queue = this.queueOf(priority);
      await channel.assertQueue(queue, {
        durable: true,
        arguments: {
          'x-queue-type': 'quorum',
          'x-dead-letter-exchange': this.deadExchange,
          'x-delivery-limit': deliveryLimit,
        },
      });
      await channel.bindQueue(queue, this.workExchange, priority);
    }
    for (const seconds of delayLevelsSeconds) {
      const queue = `${this.prefix}.delay.${seconds}`;
      await channel.assertQueue(queue, {
        durable: true,
        arguments: { 'x-message-ttl': seconds * 1000, 'x-dead-letter-exchange': this.workExchange },
      });
      await channel.bindQueue(queue, this.delayExchange, '', {
        'x-match': 'all',
        'delay-level': String(seconds),
      });
    }
  }

  /** Deletes every queue and exchange of this prefix (tests). */
  async remove(channel: Channel): Promise<void> {
    const queues = [
      this.deadQueue,
      ...queuePriorities.map((priority) => this.queueOf(priority)),
      ...delayLevelsSeconds.map((seconds) => `${this.prefix}.delay.${seconds}`),
    ];
    for (const queue of queues) await channel.deleteQueue(queue);
    for (const exchange of [this.workExchange, this.deadExchange, this.delayExchange]) {
      await channel.deleteExchange(exchange);
    }
  }
}

/**
 * The job queue port: it carries ids only (which item of which job), never request bodies or
 * results, which live in the database. Three implementations: the database itself (embedded), BullMQ
 * on Redis and RabbitMQ; one conformance suite runs against all three.
 */
export const queuePriorities = ['high', 'default', 'batch'] as const;
export type QueuePriority = (typeof queuePriorities)[number];

export interface QueueMessage {
  jobId: string;
  index: number;
}

/** What the handler decided: the message is done, or should come back after `delayMs`. */
export type HandlerOutcome = { kind: 'done' } | { kind: 'retry'; delayMs: number };

export type MessageHandler = (message: QueueMessage, priority: QueuePriority) => Promise<HandlerOutcome>;

export interface ConsumeOptions {
  /** Messages handled at once by this consumer. */
  concurrency: number;
}

export interface Consumer {
  /**
   * Takes no new message and waits up to `timeoutMs` for the ones in hand; messages still in hand
   * after that are given back to the queue (redelivered to another consumer).
   */
  stop(timeoutMs: number): Promise<void>;
}

export interface JobQueue {
  readonly backend: 'embedded' | 'bullmq' | 'rabbitmq';
  enqueue(messages: QueueMessage[], options: { priority: QueuePriority; delayMs?: number }): Promise<void>;
  consume(handler: MessageHandler, options: ConsumeOptions): Promise<Consumer>;
  /** Messages waiting (due or delayed) per priority. */
  depth(): Promise<Record<QueuePriority, number>>;
  /** Resolves when the backend answers; rejects when it is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Delay before a message whose handler threw comes back: 1 s, 2 s, 4 s … at most a minute. */
export function failureDelayMs(deliveries: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, Math.min(6, deliveries - 1)));
}

export function messageKey(message: QueueMessage): string {
  return `${message.jobId}:${message.index}`;
}

export function priorityRank(priority: QueuePriority): number {
  return queuePriorities.indexOf(priority) + 1;
}

import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../storage/database.ts';
import { fromJsonText, toDateOrNull, toJsonText, toNumber } from '../storage/dialect.ts';
import {
  type ConsumeOptions,
  type Consumer,
  failureDelayMs,
  type JobQueue,
  type MessageHandler,
  messageKey,
  priorityRank,
  type QueueMessage,
  type QueuePriority,
  queuePriorities,
} from './job-queue.ts';

export interface EmbeddedJobQueueOptions {
  /** Queue name; tests use one of their own. */
  queue: string;
  /** How long a taken message stays with its consumer without a heartbeat. */
  leaseMs: number;
  /** How often an idle consumer looks for due messages. */
  pollIntervalMs: number;
}

const insertChunk = 500;

/**
 * The queue in the database (SQLite or PostgreSQL): a message is a row, taken by a conditional update
 * that sets a lease; the consumer's heartbeat extends the leases it holds, and a row whose lease ran
 * out (its process died) is taken again by the next poll.
 */
export class EmbeddedJobQueue implements JobQueue {
  readonly backend = 'embedded';
  readonly #database: Database;
  readonly #options: EmbeddedJobQueueOptions;

  constructor(database: Database, options: EmbeddedJobQueueOptions) {
    this.#database = database;
    this.#options = options;
  }

  async enqueue(messages: QueueMessage[], options: { priority: QueuePriority; delayMs?: number }) {
    const now = Date.now();
    const runAfter = new Date(now + (options.delayMs ?? 0));
    for (let start = 0; start < messages.length; start += insertChunk) {
      const rows = messages.slice(start, start + insertChunk).map((message) => ({
        id: uuidv7({ msecs: now }),
        queue: this.#options.queue,
        message_key: messageKey(message),
        priority: priorityRank(options.priority),
        payload: toJsonText({ jobId: message.jobId, index: message.index }),
        run_after: runAfter,
      }));
      await this.#database.db
        .insertInto('queue_messages')
        .values(rows)
        .onConflict((conflict) => conflict.columns(['queue', 'message_key']).doNothing())
        .execute();
    }
  }

  async consume(handler: MessageHandler, options: ConsumeOptions): Promise<Consumer> {
    return new EmbeddedConsumer(this.#database, this.#options, handler, options.concurrency);
  }

  async depth(): Promise<Record<QueuePriority, number>> {
    const rows = await this.#database.db
      .selectFrom('queue_messages')
      .select(({ fn }) => ['priority', fn.countAll<number>().as('count')])
      .where('queue', '=', this.#options.queue)
      .groupBy('priority')
      .execute();
    const depth = { high: 0, default: 0, batch: 0 };
    for (const row of rows) {
      const priority = queuePriorities[toNumber(row.priority) - 1];
      if (priority) depth[priority] = toNumber(row.count);
    }
    return depth;
  }

  async ping(): Promise<void> {
    await this.#database.db.selectFrom('queue_messages').select('id').limit(1).execute();
  }

  async close(): Promise<void> {}
}

interface Taken {
  id: string;
  message: QueueMessage;
  priority: QueuePriority;
  deliveries: number;
}

class EmbeddedConsumer implements Consumer {
  readonly #database: Database;
  readonly #options: EmbeddedJobQueueOptions;
  readonly #handler: MessageHandler;
  readonly #concurrency: number;
  readonly #id = randomUUID();
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #heartbeat: NodeJS.Timeout;
  #stopped = false;
  #wake: (() => void) | undefined;
  readonly #loop: Promise<void>;

  constructor(
    database: Database,
    options: EmbeddedJobQueueOptions,
    handler: MessageHandler,
    concurrency: number,
  ) {
    this.#database = database;
    this.#options = options;
    this.#handler = handler;
    this.#concurrency = Math.max(1, concurrency);
    this.#heartbeat = setInterval(() => void this.#extendLeases().catch(() => {}), options.leaseMs / 3);
    this.#loop = this.#run();
  }

  async stop(timeoutMs: number): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#loop;
    const settled = Promise.allSettled([...this.#inFlight.values()]);
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    clearInterval(this.#heartbeat);
    // Whatever is still in hand goes back to the queue at once.
    await this.#database.db
      .updateTable('queue_messages')
      .set({ locked_by: null, locked_until: null })
      .where('locked_by', '=', this.#id)
      .execute()
      .catch(() => {});
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const free = this.#concurrency - this.#inFlight.size;
      let taken: Taken[] = [];
      if (free > 0) taken = await this.#take(free).catch(() => []);
      for (const entry of taken) this.#start(entry);
      if (taken.length < free || free === 0) await this.#sleep();
    }
  }

  #sleep(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.#options.pollIntervalMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  #start(entry: Taken): void {
    const run = this.#handle(entry).finally(() => {
      this.#inFlight.delete(entry.id);
      this.#wake?.();
    });
    this.#inFlight.set(entry.id, run);
  }

  async #handle(entry: Taken): Promise<void> {
    let delayMs: number | undefined;
    try {
      const outcome = await this.#handler(entry.message, entry.priority);
      if (outcome.kind === 'retry') delayMs = outcome.delayMs;
    } catch {
      delayMs = failureDelayMs(entry.deliveries);
    }
    const mine = this.#database.db.updateTable('queue_messages').where('id', '=', entry.id);
    if (delayMs === undefined) {
      await this.#database.db
        .deleteFrom('queue_messages')
        .where('id', '=', entry.id)
        .where('locked_by', '=', this.#id)
        .execute()
        .catch(() => {});
      return;
    }
    await mine
      .set({ run_after: new Date(Date.now() + delayMs), locked_by: null, locked_until: null })
      .where('locked_by', '=', this.#id)
      .execute()
      .catch(() => {});
  }

  /** Due messages by priority, each taken by a conditional update so two consumers never share one. */
  async #take(limit: number): Promise<Taken[]> {
    const now = new Date();
    const rows = await this.#database.db
      .selectFrom('queue_messages')
      .select(['id', 'priority', 'payload', 'deliveries', 'locked_until'])
      .where('queue', '=', this.#options.queue)
      .where('run_after', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .orderBy('priority')
      .orderBy('run_after')
      .limit(limit)
      .execute();
    const taken: Taken[] = [];
    for (const row of rows) {
      const lockedUntil = toDateOrNull(row.locked_until);
      let update = this.#database.db
        .updateTable('queue_messages')
        .set({
          locked_by: this.#id,
          locked_until: new Date(now.getTime() + this.#options.leaseMs),
          deliveries: toNumber(row.deliveries) + 1,
        })
        .where('id', '=', row.id);
      update = lockedUntil
        ? update.where('locked_until', '=', lockedUntil)
        : update.where('locked_until', 'is', null);
      const result = await update.executeTakeFirst();
      if (result.numUpdatedRows === 0n) continue;
      taken.push({
        id: row.id,
        message: fromJsonText<QueueMessage>(row.payload),
        priority: queuePriorities[toNumber(row.priority) - 1] ?? 'default',
        deliveries: toNumber(row.deliveries) + 1,
      });
    }
    return taken;
  }

  async #extendLeases(): Promise<void> {
    if (this.#inFlight.size === 0) return;
    await this.#database.db
      .updateTable('queue_messages')
      .set({ locked_until: new Date(Date.now() + this.#options.leaseMs) })
      .where('locked_by', '=', this.#id)
      .execute();
  }
}

import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';

/** Test files may read the environment (production code never does). */
export function testAmqpUrl(): string {
  return process.env.TEST_AMQP_URL ?? process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
}

/** Exchange and queue names of their own per test, so parallel runs share one broker. */
export function uniqueQueuePrefix(): string {
  return `test.${randomUUID()}`;
}

/**
 * Whether the shared test broker answers. Locally a missing broker skips the suite with a message; in
 * CI (CI=true) it is an error, so a broken CI setup cannot pass by skipping.
 */
export async function rabbitmqAvailable(url: string = testAmqpUrl()): Promise<boolean> {
  try {
    const connection = await amqp.connect(url, { timeout: 2000 });
    await connection.close();
    return true;
  } catch (error) {
    if (process.env.CI === 'true') throw new Error(`RabbitMQ at ${url} is required in CI: ${String(error)}`);
    console.warn(`Skipping RabbitMQ tests: no broker at ${url} (${String(error)})`);
    return false;
  }
}

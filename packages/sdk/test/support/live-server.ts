import {
  type CapturedRequest,
  FakeVendorServer,
  openAiCompletion,
  openAiStream,
} from '@structured-prompt/gateway/testing';
import { spawnServer } from '../../../server/test/support/spawn-server.ts';
import { StructuredPromptClient } from '../../src/index.ts';

/** The default-schema answer the fake OpenAI gives unless a test sets another. */
export const defaultAnswer = JSON.stringify({
  intent: 'translate',
  subject: 'Hello World',
  entities: [{ type: 'language', value: 'French' }],
  output_format: 'text',
  original_language: 'en',
});

const adminKey = `sp_${'5d'.repeat(32)}`;

/**
 * The real server process on a free loopback port (fresh SQLite data, embedded job queue), with OpenAI
 * configured against a fake OpenAI server (streaming when asked) whose answer `answer(text)` sets. Webhooks may reach
 * loopback receivers. One per test file: starting the process is the slow part.
 */
export async function startLiveServer(env: Record<string, string> = {}) {
  let next = defaultAnswer;
  // Streamed when the service asks for it (a streamed analyze call), as OpenAI does.
  const fake = await FakeVendorServer.start((request: CapturedRequest) =>
    (request.body as { stream?: boolean }).stream
      ? openAiStream(next, { pieces: 6 })
      : openAiCompletion(next),
  );
  const server = await spawnServer(
    {
      OPENAI_API_KEY: 'sk-test-not-a-real-key',
      OPENAI_BASE_URL: `${fake.url}/v1`,
      SPS_ADMIN_KEY: adminKey,
      LOG_LEVEL: 'warn',
      JOB_POLL_INTERVAL_MS: '20',
      JOB_RETRY_BASE_MS: '10',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
      WEBHOOK_POLL_INTERVAL_MS: '50',
      ...env,
    },
    { startTimeoutMs: 60_000 },
  );
  const { baseUrl } = server;
  const adminClient = new StructuredPromptClient({ baseUrl, apiKey: adminKey, retry: { baseDelayMs: 10 } });
  const userKey = await adminClient.apiKeys.create({
    name: 'sdk tests',
    scopes: ['user'],
    rate_limit_per_hour: 100_000,
  });
  const client = new StructuredPromptClient({ baseUrl, apiKey: userKey.key, retry: { baseDelayMs: 10 } });
  const providerCalls = () => fake.requests.filter((request) => request.path.endsWith('/chat/completions'));
  return {
    baseUrl,
    adminKey,
    fake,
    client,
    adminClient,
    userKey,
    providerCalls,
    answer(text: string) {
      next = text;
    },
    async stop() {
      server.child.kill('SIGTERM');
      await server.exited;
      await fake.close();
    },
  };
}

export type LiveServer = Awaited<ReturnType<typeof startLiveServer>>;

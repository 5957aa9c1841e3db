/**
 * The baseline: a bare Fastify 5 app run as a child process like the service, with the same logger
 * level and no plugins. What the service adds is measured against it.
 *
 *   POST /       answers a fixed JSON (scenario 1: what Node + Fastify cost here)
 *   POST /proxy  the least a gateway can do: forward a chat completion to the fake provider over the
 *                same transport the gateway uses (an undici agent behind `fetch`, with the same
 *                answer size limit), parse the answer's JSON content and return it — the floor for
 *                the provider-latency scenarios, measured under the same load as the service
 *
 *   node bench/baseline-server.ts [port] [fake provider base URL]
 */
import Fastify from 'fastify';
import { createProviderTransport } from '../packages/gateway/src/transport/index.ts';

const app = Fastify({ logger: false });
const answer = { intent: 'translate', subject: 'a greeting', entities: [], output_format: 'text' };
const transport = createProviderTransport();
const providerUrl = process.argv[3] ? `${process.argv[3]}/v1/chat/completions` : undefined;

app.get('/', async () => answer);
app.post('/', async () => answer);
app.post<{ Body: { prompt?: string } }>('/proxy', async (request, reply) => {
  if (!providerUrl) return reply.code(404).send({ error: 'started without a provider URL' });
  const upstream = await transport.fetch(providerUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'bench-model',
      messages: [{ role: 'user', content: request.body?.prompt ?? '' }],
    }),
  });
  const completion = (await upstream.json()) as { choices: { message: { content: string } }[] };
  return JSON.parse(completion.choices[0]?.message.content ?? 'null');
});

const address = await app.listen({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0) });
process.stdout.write(`baseline listening on ${new URL(address).port}\n`);

process.once('SIGTERM', () => {
  void app
    .close()
    .then(() => transport.close())
    .then(() => process.exit(0));
});

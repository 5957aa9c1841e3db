/**
 * The baseline: a bare Fastify 5 app answering a fixed JSON, with the same logger level and no
 * plugins, run as a child process like the service. What the service adds is measured against it.
 *
 *   node bench/baseline-server.ts [port]
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const answer = { intent: 'translate', subject: 'a greeting', entities: [], output_format: 'text' };

app.get('/', async () => answer);
app.post('/', async () => answer);

const address = await app.listen({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0) });
process.stdout.write(`baseline listening on ${new URL(address).port}\n`);

process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});

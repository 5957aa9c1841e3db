import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';

// picocolors decides at import time: honour --no-color before anything that colours is loaded.
if (process.argv.includes('--no-color')) process.env.NO_COLOR = '1';

const { exitCodes, exitFor } = await import('./exit-codes.ts');
const { buildProgram } = await import('./program.ts');
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

async function main(argv: string[]): Promise<void> {
  if (argv.length === 0 && process.stdin.isTTY && process.stdout.isTTY) {
    const [{ contextOf }, { interactive }] = await Promise.all([
      import('./context.ts'),
      import('./interactive.ts'),
    ]);
    const { client, printer } = contextOf(buildProgram(version));
    return interactive(client, printer);
  }
  const program = buildProgram(version).exitOverride();
  program.commands.forEach(function override(command): void {
    command.exitOverride();
    command.commands.forEach(override);
  });
  await program.parseAsync(argv, { from: 'user' });
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; commander has printed its message already.
    process.exitCode = error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  } else {
    const { code, message } = exitFor(error);
    process.stderr.write(`sps: ${message}\n`);
    process.exitCode = code;
  }
}

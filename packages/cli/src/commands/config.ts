import type { Command } from 'commander';
import { contextOf } from '../context.ts';
import { UsageError } from '../exit-codes.ts';
import { readSettings, resolveConnection, settingsPath, writeSettings } from '../settings.ts';

export function registerConfig(program: Command): void {
  const config = program
    .command('config')
    .description(
      'Profiles (service URL and API key) in the user config file; SPS_URL, SPS_API_KEY, SPS_PROFILE override',
    );
  config
    .command('set')
    .description('Create or change a profile and make it the current one')
    .argument('[profile]', 'profile name', 'default')
    .option('--url <url>', 'where the service listens')
    .option('--key <key>', 'API key')
    .action((name: string, _options, command: Command) => {
      // --url is a global option as well: read it wherever it was given.
      const options = command.optsWithGlobals<{ url?: string; key?: string; apiKey?: string }>();
      const settings = readSettings();
      const profile = { ...settings.profiles[name] };
      if (options.url) profile.url = options.url;
      if (options.key ?? options.apiKey) profile.api_key = options.key ?? options.apiKey;
      writeSettings({ current: name, profiles: { ...settings.profiles, [name]: profile } });
      process.stderr.write(`profile ${name} saved in ${settingsPath()}\n`);
    });
  config
    .command('use')
    .description('Make a profile the current one')
    .argument('<profile>')
    .action((name: string) => {
      const settings = readSettings();
      if (!settings.profiles[name]) throw new UsageError(`no profile named "${name}"`);
      writeSettings({ ...settings, current: name });
    });
  config
    .command('list')
    .description('Profiles, with the keys masked')
    .action((_options, command: Command) => {
      const { printer } = contextOf(command);
      const settings = readSettings();
      const rows = Object.entries(settings.profiles).map(([name, profile]) => ({
        profile: name,
        current: name === (settings.current ?? 'default'),
        url: profile.url ?? '',
        api_key: mask(profile.api_key),
      }));
      printer.result(rows);
    });
  config
    .command('show')
    .description('The connection a command would use, after flags and environment')
    .action((_options, command: Command) => {
      const { printer } = contextOf(command);
      const connection = resolveConnection(command.optsWithGlobals());
      printer.result({ ...connection, apiKey: mask(connection.apiKey), file: settingsPath() });
    });
}

function mask(key: string | undefined): string {
  return key ? `${key.slice(0, 7)}…${key.slice(-4)}` : '';
}

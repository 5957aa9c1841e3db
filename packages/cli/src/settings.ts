import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { UsageError } from './exit-codes.ts';

/** One named connection: where the service is and which key to use. */
interface Profile {
  url?: string;
  api_key?: string;
}

export interface SettingsFile {
  current?: string;
  profiles: Record<string, Profile>;
}

type Env = Record<string, string | undefined>;

/**
 * The settings file: `$SPS_CONFIG` if set, else `sps/config.yaml` in the user's config folder
 * (`$XDG_CONFIG_HOME`, `%APPDATA%` on Windows, `~/.config` otherwise).
 */
export function settingsPath(env: Env = process.env): string {
  if (env.SPS_CONFIG) return env.SPS_CONFIG;
  const base = env.XDG_CONFIG_HOME ?? env.APPDATA ?? join(homedir(), '.config');
  return join(base, 'sps', 'config.yaml');
}

export function readSettings(path = settingsPath()): SettingsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { profiles: {} };
  }
  const parsed = (parse(text) ?? {}) as Partial<SettingsFile>;
  return { current: parsed.current, profiles: parsed.profiles ?? {} };
}

/** Written readable by the owner only: it holds API keys. */
export function writeSettings(settings: SettingsFile, path = settingsPath()): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, stringify(settings), { mode: 0o600 });
}

export interface Connection {
  url: string;
  apiKey: string | undefined;
  profile: string;
}

/**
 * Where to connect: flags first, then `SPS_URL` / `SPS_API_KEY`, then the profile (`--profile`,
 * `SPS_PROFILE`, the file's current one, or `default`), then http://127.0.0.1:8000.
 */
export function resolveConnection(
  flags: { url?: string; apiKey?: string; profile?: string },
  env: Env = process.env,
): Connection {
  const settings = readSettings(settingsPath(env));
  const profile = flags.profile ?? env.SPS_PROFILE ?? settings.current ?? 'default';
  const stored = settings.profiles[profile];
  if ((flags.profile || env.SPS_PROFILE) && !stored) throw new UsageError(`no profile named "${profile}"`);
  return {
    url: flags.url ?? env.SPS_URL ?? stored?.url ?? 'http://127.0.0.1:8000',
    apiKey: flags.apiKey ?? env.SPS_API_KEY ?? stored?.api_key,
    profile,
  };
}

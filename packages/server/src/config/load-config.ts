import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { loadOnFirstUse } from '@structured-prompt/gateway';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { type Config, ConfigSchema } from './config-schema.ts';
import { type EnvSetting, envSettings } from './env-mapping.ts';
import { resolveTransportFiles } from './transport-section.ts';

/** Thrown when settings are invalid; `issues` lists every offending setting, one per line. */
export class ConfigError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(
      `Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n  - ${issues.join('\n  - ')}`,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export interface LoadConfigOptions {
  /** The environment to read; the process entry passes `process.env`, tests pass their own. */
  env: Record<string, string | undefined>;
  /** Directory where `.env` is looked for and relative paths are resolved. */
  cwd?: string;
  /** Read `<cwd>/.env` (on by default; tests turn it off). */
  readDotEnv?: boolean;
}

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false, verbose: true });
addFormats.default(ajv);
const validate = ajv.compile<Config>(ConfigSchema);

/** Parses, defaults and validates all settings at once. Nothing else in the service reads `process.env`. */
export function loadConfig(options: LoadConfigOptions): Readonly<Config> {
  const cwd = options.cwd ?? process.cwd();
  const env = { ...readDotEnv(cwd, options.readDotEnv ?? true), ...definedOnly(options.env) };
  const issues: string[] = [];

  const raw: Record<string, unknown> = {};
  const configFile = env.SPS_CONFIG_FILE;
  if (configFile) {
    const loaded = readConfigFile(resolve(cwd, configFile));
    if (typeof loaded === 'string') issues.push(loaded);
    else Object.assign(raw, loaded);
  }

  const fromEnv = new Set<string>();
  for (const setting of envSettings) {
    const value = envValue(env, setting);
    if (value === undefined || value === '' || setting.path === '') continue;
    setPath(raw, setting.path, setting.list ? splitList(value) : coerceLoose(setting.path, value));
    fromEnv.add(setting.path);
  }

  if (issues.length === 0 && !validate(raw)) {
    // A union reports one error per branch plus one for the union: keep only the union's.
    const errors = validate.errors ?? [];
    const unionPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
    for (const error of errors) {
      if (unionPaths.has(error.instancePath) && error.keyword !== 'anyOf') continue;
      issues.push(describe(error, raw, fromEnv));
    }
  }
  if (issues.length === 0) issues.push(...resolveTransportFiles((raw as Config).transport, cwd));
  if (issues.length > 0) throw new ConfigError([...new Set(issues)]);
  return deepFreeze(raw as Config);
}

function envValue(env: Record<string, string>, setting: EnvSetting): string | undefined {
  const lowerCase = setting.lowerCaseToo ? env[setting.env.toLowerCase()] : undefined;
  return lowerCase !== undefined && lowerCase !== '' ? lowerCase : env[setting.env];
}

function readDotEnv(cwd: string, enabled: boolean): Record<string, string> {
  const file = resolve(cwd, '.env');
  if (!enabled || !existsSync(file)) return {};
  return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

function readConfigFile(path: string): Record<string, unknown> | string {
  if (!existsSync(path)) return `SPS_CONFIG_FILE: file ${path} does not exist`;
  try {
    const text = readFileSync(path, 'utf8');
    const parsed: unknown = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return `SPS_CONFIG_FILE: ${path} must contain an object at the top level`;
    }
    return parsed as Record<string, unknown>;
  } catch (error) {
    return `SPS_CONFIG_FILE: ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'} (${(error as Error).message.split('\n')[0]})`;
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** `TRUST_PROXY` is boolean or an address list; every other value is left for Ajv to coerce. */
function coerceLoose(path: string, value: string): unknown {
  if (path === 'server.trustProxy') {
    if (value === 'true' || value === 'false') return value === 'true';
  }
  return value;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === null || typeof next !== 'object') node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

function getPath(source: unknown, pointer: string): unknown {
  let node = source;
  for (const part of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function describe(error: ErrorObject, raw: unknown, fromEnv: ReadonlySet<string>): string {
  const path = error.instancePath.split('/').slice(1).join('.');
  const setting = fromEnv.has(path) ? envSettings.find((candidate) => candidate.path === path) : undefined;
  const where = setting ? `${setting.env} (${path})` : `config file ${path || '(top level)'}`;
  let expectation = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') {
    expectation = `has unknown setting "${String(error.params.additionalProperty)}"`;
  } else if (error.keyword === 'anyOf') {
    const options = (error.schema as Array<{ const?: unknown; type?: string }> | undefined) ?? [];
    const allowed = options.map((option) =>
      option.const !== undefined ? String(option.const) : `any ${option.type}`,
    );
    if (allowed.length > 0) expectation = `must be one of: ${allowed.join(', ')}`;
  }
  const value = getPath(raw, error.instancePath);
  const secret = envSettings.some((candidate) => candidate.path === path && candidate.secret);
  const scalar = value === null || typeof value !== 'object';
  const shown = secret || value === undefined || !scalar ? '' : ` (got ${JSON.stringify(value)})`;
  return `${where}: ${expectation}${shown}`;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The YAML parser is loaded only when a YAML config file is given (most deployments use env only). */
const yaml = loadOnFirstUse<typeof import('yaml')>('yaml', import.meta.url);
const parseYaml = (text: string): unknown => yaml().parse(text);

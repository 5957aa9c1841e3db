export type { Config } from './config-schema.ts';
export { ConfigSchema } from './config-schema.ts';
export { type EnvSetting, envSettings } from './env-mapping.ts';
export { ConfigError, type LoadConfigOptions, loadConfig } from './load-config.ts';

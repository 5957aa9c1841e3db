/**
 * The gateway's public surface. The server builds it from config at boot (`createProviderGateway`),
 * hands it to the analyze pipeline as a `ProviderGateway`, shows `listProviderStatus()` on the
 * providers route and closes it on shutdown. Text helpers (language, PII) are shared with the
 * server's preprocessing, which must judge a prompt the way the offline analyzer does.
 */
export { createProviderGateway, type GatewayConfig, type GatewayOptions } from './build-gateway.ts';
export { Deadline } from './lib/deadline.ts';
export { loadOnFirstUse } from './lib/load-on-first-use.ts';
export { defaultPrices, type ModelPrice, PriceTable } from './pricing/price-table.ts';
export { ProviderRouter, type RouterConfig } from './router/provider-router.ts';
export type { ProviderStatus } from './router/provider-status.ts';
export { AllProvidersFailedError } from './router/route-errors.ts';
export type { AttemptEvent, RouterEvents } from './router/router-events.ts';
export { type CompiledSchema, compileSchema } from './schema-compiler/index.ts';
export type { FailedAttempt, ProviderGateway, RoutedGeneration, RouteOptions } from './spec/gateway.ts';
export { GatewayError } from './spec/gateway-error.ts';
export type { JsonSchema, JsonValue } from './spec/json-schema.ts';
export type {
  ChatMessage,
  FinishReason,
  GenerateRequest,
  GenerateResult,
  Provider,
  ProviderKind,
  TextSink,
} from './spec/provider.ts';
export { ProviderError, type ProviderFailureKind } from './spec/provider-error.ts';
export type { ProviderSettings } from './spec/provider-settings.ts';
export {
  compileRe2,
  compileSchemaPattern,
  defaultMaxPatternInputChars,
  schemaPatternEngine,
  UnsupportedPatternError,
} from './spec/schema-pattern.ts';
export {
  type LanguageDetection,
  type LanguageDetector,
  type LanguageSource,
  loadLanguageDetector,
} from './text/language-detector.ts';
export { type PiiFinding, type PiiScan, scanPii } from './text/pii.ts';
export type { TransportOptions } from './transport/index.ts';

/**
 * The provider layer's public surface: build the gateway from config at boot, hand it to the
 * analyze pipeline as its ProviderGateway, show `listProviderStatus()` at GET /v1/analyze/providers,
 * and `close()` it on shutdown.
 */
export type { FailedAttempt, ProviderGateway, RoutedGeneration, RouteOptions } from './gateway.ts';
export { defaultPrices, type ModelPrice, PriceTable } from './pricing/price-table.ts';
export type { GenerateRequest, GenerateResult, Provider, ProviderKind } from './provider.ts';
export { ProviderError, type ProviderFailureKind } from './provider-error.ts';
export {
  createProviderGateway,
  type GatewayConfig,
  type GatewayOptions,
} from './registry/build-gateway.ts';
export { ProviderRouter, type RouterConfig } from './router/provider-router.ts';
export type { ProviderStatus } from './router/provider-status.ts';
export { AllProvidersFailedError } from './router/route-errors.ts';
export type { AttemptEvent, RouterEvents } from './router/router-events.ts';
export { type CompiledSchema, compileSchema } from './schema-compiler/index.ts';

export { oversizedAnswerIn } from './answer-size-limit.ts';
export { createProviderTransport, type FetchFunction, type ProviderTransport } from './provider-transport.ts';
export type { TransportOptions } from './transport-options.ts';

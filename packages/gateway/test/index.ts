export * from './fake-vendor-server.ts';
export * from './vendor-replies.ts';
export * from './vendor-streams.ts';

export * from './fake-vendor-server.ts';
export * from './vendor-replies.ts';

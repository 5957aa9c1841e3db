export * from './analyze.ts';
export * from './api-keys.ts';
export * from './audit-logs.ts';
export * from './default-schema.ts';
export * from './error-codes.ts';
export * from './health.ts';
export * from './problem.ts';

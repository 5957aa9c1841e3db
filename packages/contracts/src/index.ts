export * from './default-schema.ts';
export * from './error-codes.ts';
export * from './health.ts';
export * from './problem.ts';

export * from './rate-budget';
export * from './source-client';
export * from './entity-sync';
export * from './run-sync';
export * from './checkpoint-reader';
export * from './commands';

export * from './roles';
export * from './secrets';
export * from './users';
export * from './api-tokens';
export * from './sessions';
export * from './audit';
export * from './migrate';

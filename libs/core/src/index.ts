export * from './error-codes';
export * from './errors';
export * from './time';
export * from './lifecycle';

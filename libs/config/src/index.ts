export * from './load-config';
export * from './env-vars';
export * from './stack-env';
export * from './load-or-exit';
export * from './demo-mode';
export * from './listen';
export * from './dot-env';
export * from './node-flags';

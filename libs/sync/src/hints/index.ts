export * from './hint-definition';
export * from './hint-consumer';

export * from './wait';
export * from './names';
export * from './database';

export * from './wait';
export * from './names';

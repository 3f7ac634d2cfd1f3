export * from './http-service';
export * from './error-handler';
export * from './readiness';
export * from './route-label';
export * from './server-lifecycle';

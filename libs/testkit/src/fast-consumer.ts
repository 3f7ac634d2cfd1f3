/**
 * Consumer settings for tests on the real Kafka: a short session, frequent heartbeats, short fetch
 * waits and quick retries, so rebalances and failures show within seconds.
 */
export function fastConsumer(retries = 3) {
  return {
    sessionTimeout: 10_000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 100,
    retry: { initialRetryTime: 100, maxRetryTime: 1000, retries },
  } as const;
}

let hidden = false;

/**
 * kafkajs 2.2.4 schedules a negative timeout (tulios/kafkajs#1751, not fixed upstream), so Node
 * (23 and newer) prints a TimeoutNegativeWarning once per process that talks to Kafka: noise on every
 * service's and the CLI's stderr. `createKafka` calls this, so any process with a Kafka client hides
 * that one warning; every other warning is printed as Node would. Idempotent.
 */
export function hideKafkajsTimeoutWarning(): void {
  if (hidden) return;
  hidden = true;
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'TimeoutNegativeWarning') return;
    for (const print of printers) print(warning);
  });
}

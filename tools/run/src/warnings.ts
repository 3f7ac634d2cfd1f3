/**
 * kafkajs 2.2.4 schedules a negative timeout (tulios/kafkajs#1751, not fixed upstream), so Node prints a
 * TimeoutNegativeWarning once per process that talks to Kafka: noise in `npm start`'s first lines.
 * This hides that one warning in the runner; every other warning is printed as Node would. (The
 * services get `--disable-warning=TimeoutNegativeWarning`, see children.ts.)
 */
export function hideKafkajsTimeoutWarning(): void {
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'TimeoutNegativeWarning') return;
    for (const print of printers) print(warning);
  });
}

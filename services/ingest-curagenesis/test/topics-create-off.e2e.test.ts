import { startServiceProcess, uniqueName } from '@tributary/testkit';

describe('a service that must not create topics', () => {
  it('when KAFKA_TOPICS_CREATE=false and its topics do not exist, then it refuses to start with one line naming a topic', async () => {
    const ns = `${uniqueName('nocreate')}.`;
    const proc = startServiceProcess('ingest-curagenesis', {
      TRIBUTARY_TOPIC_NAMESPACE: ns,
      KAFKA_TOPICS_CREATE: 'false',
      CURAGENESIS_API_URL: 'http://127.0.0.1:9',
      CURAGENESIS_API_KEY: 'unused',
    });
    expect(await proc.exited).toBe(1);
    const failed = proc.lines.filter((l) => l.includes('"service.start_failed"'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain(`topic ${ns}sync.commands.v1: does not exist`);
  });

  it('when a SASL variable is wrong, then it exits 78 naming the variable and never shows the password', async () => {
    const proc = startServiceProcess('ingest-curagenesis', {
      KAFKA_SASL_MECHANISM: 'kerberos',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 'do-not-print-me',
      CURAGENESIS_API_URL: 'http://127.0.0.1:9',
      CURAGENESIS_API_KEY: 'unused',
    });
    expect(await proc.exited).toBe(78);
    const out = proc.lines.join('\n');
    expect(out).toMatch(
      /ingest-curagenesis: configuration error: KAFKA_SASL_MECHANISM: must be one of plain, scram-sha-256, scram-sha-512, oauthbearer/,
    );
    expect(out).not.toContain('do-not-print-me');
  });
});

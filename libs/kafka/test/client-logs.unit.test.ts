import { logLevel } from 'kafkajs';
import type { LogEventName } from '@tributary/observability';
import { kafkajsLogCreator } from '../src/client';

function capture() {
  const lines: { level: string; event: LogEventName; msg: string }[] = [];
  const at = (level: string) => (event: LogEventName, msg: string) => void lines.push({ level, event, msg });
  const log = kafkajsLogCreator({
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  })();
  return { lines, log };
}

describe('kafkajs log lines', () => {
  it('when kafkajs reports a producer error, then it is logged as an error under a catalog event', () => {
    const { lines, log } = capture();
    log({
      namespace: 'Producer',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { timestamp: 'x', message: 'Failed to send messages: Broker not available' },
    });
    expect(lines).toEqual([
      {
        level: 'error',
        event: 'kafka.disconnected',
        msg: 'kafkajs Producer: Failed to send messages: Broker not available',
      },
    ]);
  });

  it('when kafkajs reports a CreateTopics answer with topic creation errors (another service created them first), then it is only debug', () => {
    const { lines, log } = capture();
    log({
      namespace: 'Connection',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: {
        timestamp: 'x',
        message: 'Response CreateTopics(key: 19, version: 3)',
        error: 'Topic creation errors',
      },
    });
    expect(lines.map((l) => l.level)).toEqual(['debug']);
  });

  it('when kafkajs reports the CONCURRENT_TRANSACTIONS retry of back-to-back transactions, then it is only debug', () => {
    const { lines, log } = capture();
    const text =
      'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing';
    log({
      namespace: 'Connection',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { timestamp: 'x', message: 'Response AddPartitionsToTxn(key: 24, version: 1)', error: text },
    });
    log({
      namespace: 'Producer',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { timestamp: 'x', message: `Failed to send messages: ${text}` },
    });
    log({
      namespace: 'Producer',
      level: logLevel.WARN,
      label: 'WARN',
      log: {
        timestamp: 'x',
        message: 'Limiting retries for the idempotent producer may invalidate EoS guarantees',
      },
    });
    expect(lines.map((l) => l.level)).toEqual(['debug', 'debug', 'debug']);
  });
});

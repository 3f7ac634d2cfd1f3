import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKafka } from '@tributary/kafka';
import { TributaryError } from '@tributary/core';
import { ensureKafkaLibs } from './artifacts';
import { isAlive, portOpen, readPid, run, startDetached, stopPid, waitUntil } from './proc';
import { StackSettings } from './settings';

/**
 * A new Kafka cluster id: 16 random bytes, base64url, never starting with `-`. kafka-storage reads
 * an id starting with `-` as an option and refuses to format (`argument --cluster-id/-t: expected one
 * argument`): one fresh stack in 64 failed to start so (a fresh-clone CI run did). Kafka's own
 * `Uuid.randomUuid()` avoids those ids for the same reason.
 */
export function newClusterId(random: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const id = random().toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Apache Kafka 3.9 in KRaft mode (broker and controller in one process), from Maven Central jars. */
export function kafkaPaths(s: StackSettings) {
  const dir = join(s.stackDir, 'kafka');
  return {
    dir,
    dataDir: join(dir, 'data'),
    config: join(dir, 'server.properties'),
    log4j: join(dir, 'log4j.properties'),
    pidFile: join(dir, 'kafka.pid'),
    logFile: join(s.logDir, 'kafka.log'),
  };
}

function writeConfig(s: StackSettings, p: ReturnType<typeof kafkaPaths>): void {
  writeFileSync(
    p.config,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${s.kafkaControllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${s.kafkaPort},CONTROLLER://127.0.0.1:${s.kafkaControllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${s.kafkaPort}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name=PLAINTEXT',
      `log.dirs=${p.dataDir}`,
      'num.partitions=3',
      'default.replication.factor=1',
      'min.insync.replicas=1',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=10',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'transaction.state.log.num.partitions=10',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=false',
      'log.retention.hours=168',
      'log.segment.bytes=268435456',
      '',
    ].join('\n'),
  );
  writeFileSync(
    p.log4j,
    [
      'log4j.rootLogger=INFO, stdout',
      'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
      'log4j.logger.kafka.request.logger=WARN',
      'log4j.logger.state.change.logger=WARN',
      'log4j.logger.kafka.log.LogCleaner=WARN',
      '',
    ].join('\n'),
  );
}

export function kafkaRunning(s: StackSettings): boolean {
  return isAlive(readPid(kafkaPaths(s).pidFile));
}

export async function kafkaAnswers(brokers: string): Promise<boolean> {
  const kafka = createKafka({
    clientId: 'stack-probe',
    brokers: brokers.split(','),
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function ensureKafka(s: StackSettings, say: (l: string) => void): Promise<boolean> {
  const p = kafkaPaths(s);
  const brokers = `127.0.0.1:${s.kafkaPort}`;
  if (kafkaRunning(s)) {
    await waitUntil('Kafka', () => kafkaAnswers(brokers), { timeoutMs: 60_000, logFile: p.logFile });
    return false;
  }
  for (const port of [s.kafkaPort, s.kafkaControllerPort]) {
    if (await portOpen(port)) {
      throw new TributaryError(
        'STACK_PORT_TAKEN',
        `port ${port} for Kafka is taken by another process: set STACK_KAFKA_PORT / STACK_KAFKA_CONTROLLER_PORT to free ports (or KAFKA_BROKERS to use that broker)`,
      );
    }
  }
  const libs = ensureKafkaLibs(s, say);
  mkdirSync(p.dataDir, { recursive: true });
  writeConfig(s, p);
  const classpath = `${libs}/*`;
  const log4j = `-Dlog4j.configuration=file:${p.log4j}`;
  if (!existsSync(join(p.dataDir, 'meta.properties'))) {
    const clusterId = newClusterId();
    say(`formatting Kafka storage (cluster ${clusterId})`);
    run('java', [
      '-cp',
      classpath,
      log4j,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      p.config,
    ]);
  }
  const pid = startDetached(
    'java',
    [
      `-Xms256m`,
      `-Xmx${s.kafkaHeap}`,
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      log4j,
      '-cp',
      classpath,
      'kafka.Kafka',
      p.config,
    ],
    { cwd: p.dir, logFile: p.logFile, pidFile: p.pidFile },
  );
  await waitUntil('Kafka', () => kafkaAnswers(brokers), { timeoutMs: 120_000, logFile: p.logFile, pid });
  return true;
}

export function stopKafka(s: StackSettings): Promise<boolean> {
  return stopPid(kafkaPaths(s).pidFile, 60_000);
}

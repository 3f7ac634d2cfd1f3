import './isolated-namespace';
import { randomUUID } from 'node:crypto';
import {
  SyncCancelRequestedContract,
  TOPICS,
  type Source,
  type SyncCancelRequested,
} from '@tributary/contracts';
import { createKafka, createPublisher, SchemaCodec } from '@tributary/kafka';
import { nullLogger } from '@tributary/observability';
import { uniqueName, waitFor } from '@tributary/testkit';
import { Cancellations, cancelRequestRecord, watchCancellations, type CancelWatcher } from '../src';

const kafka = createKafka({
  brokers: process.env.KAFKA_BROKERS!.split(','),
  clientId: uniqueName('cancelw'),
});
const codec = new SchemaCodec({ url: process.env.SCHEMA_REGISTRY_URL! });
const watchers: CancelWatcher[] = [];

const cancelOf = (source: Source): SyncCancelRequested => ({
  type: 'SyncCancelRequested',
  version: 1,
  syncId: randomUUID(),
  source,
  requestedBy: 'ana',
  requestedAt: new Date().toISOString(),
});

async function publish(...cancels: SyncCancelRequested[]): Promise<void> {
  const publisher = await createPublisher({ kafka, codec });
  try {
    await publisher.publish(cancels.map(cancelRequestRecord));
  } finally {
    await publisher.close();
  }
}

/** A replica's watcher, ready (every earlier cancel read). */
async function replica(): Promise<Cancellations> {
  const cancellations = new Cancellations();
  const watcher = await watchCancellations({
    kafka,
    source: 'repcard',
    cancellations,
    decode: (buf) => codec.decode(buf, SyncCancelRequestedContract),
    logger: nullLogger(),
  });
  watchers.push(watcher);
  await watcher.ready;
  return cancellations;
}

beforeAll(async () => {
  // Never the shared topic: this file deletes it at the end.
  if (
    !process.env.TRIBUTARY_TOPIC_NAMESPACE ||
    !TOPICS.syncControl.startsWith(process.env.TRIBUTARY_TOPIC_NAMESPACE)
  )
    throw new Error(`${TOPICS.syncControl} is not in this test's namespace`);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: TOPICS.syncControl, numPartitions: 3 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
});

afterAll(async () => {
  await Promise.all(watchers.map((w) => w.stop()));
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [TOPICS.syncControl] }).catch(() => undefined);
  await admin.disconnect();
});

describe('the cancel watcher on sync.control', () => {
  it('when a replica starts after cancels were published, then it knows those of its source once ready', async () => {
    const earlier = [cancelOf('repcard'), cancelOf('repcard'), cancelOf('curagenesis')];
    await publish(...earlier);
    const cancellations = await replica();
    expect(cancellations.get(earlier[0]!.syncId)).toEqual(earlier[0]);
    expect(cancellations.get(earlier[1]!.syncId)).toEqual(earlier[1]);
    expect(cancellations.get(earlier[2]!.syncId)).toBeUndefined();
  });

  it('when several replicas run, then every one hears a new cancel, whichever partition it lands on', async () => {
    const [a, b] = [await replica(), await replica()];
    const heard: string[] = [];
    const later = Array.from({ length: 6 }, () => cancelOf('repcard'));
    for (const c of later) b.onCancel(c.syncId, () => heard.push(c.syncId));
    await publish(...later);
    await waitFor(() => later.every((c) => a.get(c.syncId) && b.get(c.syncId)), {
      timeoutMs: 20_000,
      description: 'both replicas heard every cancel',
    });
    expect(heard.sort()).toEqual(later.map((c) => c.syncId).sort());
  });
});

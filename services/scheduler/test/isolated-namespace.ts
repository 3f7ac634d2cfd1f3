import { uniqueName } from '@tributary/testkit';

// Imported first by the integration tests: topic names are read once, when @tributary/contracts is
// first loaded, so the namespace must be set before. Commands published by these tests then go to
// topics of their own, never to a `sync.commands.v1` that a running ingest service would execute.
process.env.TRIBUTARY_TOPIC_NAMESPACE ??= `${uniqueName('sched')}.`;

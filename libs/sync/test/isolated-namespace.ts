import { uniqueName } from '@tributary/testkit';

// Imported first by the integration tests here: topic names are read once, when @tributary/contracts
// is first loaded (imports are hoisted above any statement of the test file), so the namespace must be
// set in a module of its own. The tests then create and delete topics of their own only.
process.env.TRIBUTARY_TOPIC_NAMESPACE ??= `${uniqueName('sync-test')}.`;

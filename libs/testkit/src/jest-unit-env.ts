/**
 * Unit tests (pure code, no server) run in the default topic namespace whatever the environment
 * says: the int and e2e projects' global set-up gives the whole jest run `test.` (global-setup.ts),
 * and workers are shared between projects. Restored after the file.
 */
const saved = process.env.TRIBUTARY_TOPIC_NAMESPACE;
delete process.env.TRIBUTARY_TOPIC_NAMESPACE;
afterAll(() => {
  if (saved !== undefined) process.env.TRIBUTARY_TOPIC_NAMESPACE = saved;
});

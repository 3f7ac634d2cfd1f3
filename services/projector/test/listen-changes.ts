import { Client } from 'pg';

/** A connection LISTENing on a NOTIFY channel, keeping every payload heard (parsed JSON) in order. */
export async function listenChanges(
  url: string,
  channel = 'tributary_changes',
): Promise<{ heard: unknown[]; end(): Promise<void> }> {
  const listener = new Client({ connectionString: url });
  await listener.connect();
  const heard: unknown[] = [];
  listener.on('notification', (n) => n.payload && heard.push(JSON.parse(n.payload)));
  await listener.query(`LISTEN ${channel}`);
  return { heard, end: () => listener.end() };
}

import { startPipeline, type Pipeline } from './repcard-pipeline';

/**
 * The RepCard pipeline (simulator → ingest-repcard → Kafka → projector → PostgreSQL) the tests of a
 * file share: started in the file's beforeAll, then handed to `prepare` (a first sync, say), and
 * closed in its afterAll. Registers both hooks; the function returned gives the pipeline once
 * beforeAll ran.
 */
export function repcardPipelineForFile(
  simOptions: Parameters<typeof startPipeline>[0],
  prepare?: (p: Pipeline) => Promise<unknown>,
): () => Pipeline {
  let p: Pipeline | undefined;
  beforeAll(async () => {
    p = await startPipeline(simOptions);
    await prepare?.(p);
  });
  afterAll(async () => {
    await p?.close();
  });
  return () => {
    if (!p) throw new Error('the pipeline is not started yet (it is, in beforeAll)');
    return p;
  };
}

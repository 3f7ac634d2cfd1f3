import { runService } from '@tributary/service';
import { startScheduler } from './app';
import { schedulerConfigSchema } from './config';

void runService({
  name: 'scheduler',
  schema: schedulerConfigSchema,
  start: (ctx) => startScheduler(ctx, { closeStreamsOn: ['SIGTERM', 'SIGINT'] }),
});

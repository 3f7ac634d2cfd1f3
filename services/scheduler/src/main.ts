import { runService } from '@tributary/service';
import { startScheduler } from './app';
import { schedulerConfigSchema } from './config';

void runService({
  name: 'scheduler',
  schema: schedulerConfigSchema,
  port: (c) => c.PORT,
  logLevel: (c) => c.LOG_LEVEL,
  start: (ctx) => startScheduler(ctx, { closeStreamsOn: ['SIGTERM', 'SIGINT'] }),
});

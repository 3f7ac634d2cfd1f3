import { runService } from '@tributary/service';
import { startWebhookGateway } from './app';
import { webhookGatewayConfigSchema } from './config';

void runService({
  name: 'webhook-gateway',
  schema: webhookGatewayConfigSchema,
  start: startWebhookGateway,
});

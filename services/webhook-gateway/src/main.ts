import { runGateway } from './entry-points/run-gateway';

void runGateway();

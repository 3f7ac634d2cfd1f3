import { SYNC_SPECS } from './commands/sync';
import { main } from './run-cli';

main(SYNC_SPECS.repcard);

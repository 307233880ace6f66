/** Entry point of `npm run timeouts` (see timeoutsCommand.ts). */
import { runTimeoutsCommand } from './timeoutsCommand';

process.exitCode = runTimeoutsCommand(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});

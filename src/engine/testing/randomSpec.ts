/**
 * Seeded random isolation specs: a few sessions, each a transaction of statements on small tables
 * (one with a unique key, a parent and a child with a cascading foreign key), in one random
 * interleaving. The statements cover row locks, locking sub-selects (the job-queue pattern),
 * data-modifying CTEs, referential actions, DDL inside the transaction (on the session's own
 * table) and pg_locks. Run on the engine and on a real PostgreSQL, they must print the same output
 * (the differential test in src/engine/conformance/).
 */
import { seededRandom } from './randomInterleaving';

const ISOLATION = ['READ COMMITTED', 'REPEATABLE READ'];
/** The first session is the deadlock victim: its check fires first. */
const DEADLOCK_TIMEOUTS = ["'300ms'", "'30s'", "'40s'"];

/**
 * One statement for a session. A spec runs DDL or reads pg_locks, not both: while a transaction that
 * ran DDL is open, the engine refuses pg_locks (it cannot show all the locks such DDL takes).
 */
function statement(random: () => number, session: string, ddl: boolean): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const id = 1 + Math.floor(random() * 3);
  const childId = 100 + Math.floor(random() * 50);
  const own = `own_${session}`;
  return pick([
    `UPDATE t SET v = v + 1 WHERE id = (SELECT id FROM t WHERE v >= 0 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, v;`,
    // RETURNING of a multi-row DELETE comes in the order of PostgreSQL's plan: read it sorted.
    `WITH d AS (DELETE FROM t WHERE id IN (SELECT id FROM t ORDER BY id LIMIT 2 FOR UPDATE SKIP LOCKED) RETURNING id) SELECT id FROM d ORDER BY id;`,
    `UPDATE t SET v = v + 2 WHERE id = (SELECT id FROM t WHERE id = ${id} FOR UPDATE NOWAIT) RETURNING id, v;`,
    `WITH x AS (UPDATE t SET v = v + 1 WHERE id = ${id} RETURNING id, v) SELECT x.id, x.v, t.v AS before FROM x JOIN t USING (id);`,
    `WITH gone AS (DELETE FROM child WHERE pid = ${id} RETURNING id) SELECT count(*) AS removed FROM gone;`,
    `DELETE FROM parent WHERE id = ${id};`,
    `UPDATE parent SET id = id + 10 WHERE id = ${id};`,
    `INSERT INTO child VALUES (${childId}, ${id}, 0);`,
    `UPDATE child SET v = v + 1 WHERE pid = ${id};`,
    `SELECT c.id, c.pid FROM child c JOIN parent p ON p.id = c.pid ORDER BY c.id FOR UPDATE OF c;`,
    ddl
      ? `CREATE TABLE ${own} AS SELECT id, v FROM t WHERE v >= 0; INSERT INTO ${own} SELECT id, -1 FROM t; SELECT count(*) FROM ${own};`
      : `SELECT mode, granted FROM pg_locks WHERE locktype = 'relation' AND relation = 't'::regclass ORDER BY 1, 2;`,
    `UPDATE t SET v = v + 1 WHERE id = ${id};`,
    `UPDATE t SET v = v * 10 WHERE id = ${id} RETURNING id, v;`,
    `UPDATE t SET v = v + 1 WHERE v >= 0 RETURNING id, v;`,
    `SELECT id, v FROM t WHERE id = ${id} FOR ${pick(['UPDATE', 'NO KEY UPDATE', 'SHARE', 'KEY SHARE'])}${pick(['', '', ' NOWAIT', ' SKIP LOCKED'])};`,
    `SELECT id, v FROM t ORDER BY id;`,
    `DELETE FROM t WHERE id = ${id};`,
    `INSERT INTO t VALUES (${id + 1}, 100) ON CONFLICT (id) DO UPDATE SET v = t.v + 100;`,
    `INSERT INTO t VALUES (4, 1) ON CONFLICT DO NOTHING;`,
    `INSERT INTO t VALUES (5, 1);`,
    `UPDATE t SET id = id + 10 WHERE id = ${id};`,
  ]);
}

export interface RandomSpec {
  name: string;
  text: string;
}

export function randomSpec(seed: number): RandomSpec {
  const random = seededRandom(seed);
  const sessionCount = random() < 0.3 ? 3 : 2;
  const ddl = random() < 0.5;
  const sessions: { name: string; steps: { name: string; sql: string }[] }[] = [];
  for (let s = 0; s < sessionCount; s++) {
    const name = `s${s + 1}`;
    const count = 2 + Math.floor(random() * 2);
    const steps = Array.from({ length: count }, (_, i) => ({
      name: `${name}_${i + 1}`,
      sql: statement(random, name, ddl),
    }));
    steps.push({ name: `${name}_end`, sql: random() < 0.75 ? 'COMMIT;' : 'ROLLBACK;' });
    sessions.push({ name, steps });
  }
  // One random interleaving that keeps each session's steps in order.
  const cursors = sessions.map(() => 0);
  const permutation: string[] = [];
  while (cursors.some((c, i) => c < (sessions[i]?.steps.length ?? 0))) {
    const open = sessions
      .map((_, i) => i)
      .filter((i) => (cursors[i] ?? 0) < (sessions[i]?.steps.length ?? 0));
    const i = open[Math.floor(random() * open.length)] as number;
    permutation.push(sessions[i]?.steps[cursors[i] ?? 0]?.name ?? '');
    cursors[i] = (cursors[i] ?? 0) + 1;
  }
  permutation.push('check');
  const lines = [
    `# random spec, seed ${seed}`,
    `setup {
  CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL);
  INSERT INTO t VALUES (1, 0), (2, 0), (3, 0);
  CREATE TABLE parent (id int PRIMARY KEY);
  CREATE TABLE child (id int PRIMARY KEY, pid int REFERENCES parent ON DELETE CASCADE ON UPDATE CASCADE, v int NOT NULL);
  INSERT INTO parent VALUES (1), (2), (3);
  INSERT INTO child VALUES (11, 1, 0), (12, 1, 0), (21, 2, 0);
}`,
    `teardown { DROP TABLE t, child, parent; ${sessions.map((session) => `DROP TABLE IF EXISTS own_${session.name};`).join(' ')} }`,
  ];
  sessions.forEach((session, i) => {
    lines.push(`session ${session.name}`);
    lines.push(
      `setup { BEGIN ISOLATION LEVEL ${ISOLATION[Math.floor(random() * ISOLATION.length)]}; SET deadlock_timeout = ${DEADLOCK_TIMEOUTS[i]}; }`,
    );
    for (const step of session.steps) lines.push(`step ${step.name} { ${step.sql} }`);
  });
  lines.push(
    'session checker',
    "step check { SELECT 't' AS tab, id, v FROM t UNION ALL SELECT 'child', id, pid FROM child UNION ALL SELECT 'parent', id, NULL FROM parent ORDER BY 1, 2; }",
  );
  lines.push(`permutation ${permutation.join(' ')}`);
  return { name: `random-${seed}`, text: `${lines.join('\n')}\n` };
}

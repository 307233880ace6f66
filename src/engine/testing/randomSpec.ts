/**
 * Seeded random isolation specs: a few sessions, each a transaction of row-level statements on a
 * small table, in one random interleaving. Run on the engine and on a real PostgreSQL, they must
 * print the same output (the differential test in scenario/postgres/).
 */
import { seededRandom } from './randomInterleaving';

const ISOLATION = ['READ COMMITTED', 'REPEATABLE READ'];
/** The first session is the deadlock victim: its check fires first. */
const DEADLOCK_TIMEOUTS = ["'300ms'", "'30s'", "'40s'"];

function statement(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const id = 1 + Math.floor(random() * 3);
  return pick([
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
  const sessions: { name: string; steps: { name: string; sql: string }[] }[] = [];
  for (let s = 0; s < sessionCount; s++) {
    const name = `s${s + 1}`;
    const count = 2 + Math.floor(random() * 2);
    const steps = Array.from({ length: count }, (_, i) => ({
      name: `${name}_${i + 1}`,
      sql: statement(random),
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
    'setup { CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL); INSERT INTO t VALUES (1, 0), (2, 0), (3, 0); }',
    'teardown { DROP TABLE t; }',
  ];
  sessions.forEach((session, i) => {
    lines.push(`session ${session.name}`);
    lines.push(
      `setup { BEGIN ISOLATION LEVEL ${ISOLATION[Math.floor(random() * ISOLATION.length)]}; SET deadlock_timeout = ${DEADLOCK_TIMEOUTS[i]}; }`,
    );
    for (const step of session.steps) lines.push(`step ${step.name} { ${step.sql} }`);
  });
  lines.push('session checker', 'step check { SELECT id, v FROM t ORDER BY id; }');
  lines.push(`permutation ${permutation.join(' ')}`);
  return { name: `random-${seed}`, text: `${lines.join('\n')}\n` };
}

import { describe, expect, it } from 'vitest';
import { renderJsonLines } from '../output/renderJson';
import { renderText } from '../output/renderText';
import { loadSpec, runResolvedSpec } from './runScenario';
import { createVirtualLockBackend } from './virtualLockBackend';

async function run(spec: string, maxStepWaitMs = 300_000) {
  const { backend, log } = createVirtualLockBackend();
  const result = await runResolvedSpec('test', loadSpec(spec), backend, { maxStepWaitMs });
  return { text: renderText(result.events), events: result.events, aborted: result.abortedBecause, log };
}

describe('the isolation tester on a virtual-time backend', () => {
  it('prints a blocked step as waiting and completes it after the step that unblocks it', async () => {
    const { text } = await run(`
setup { create }
teardown { drop }
session s1
step l1 { lock a }
step c1 { commit }
session s2
step l2 { lock a; select done }
step c2 { commit }
permutation l1 l2 c1 c2
`);
    expect(text).toBe(`Parsed test spec with 2 sessions

starting permutation: l1 l2 c1 c2
step l1: lock a
step l2: lock a; select done <waiting ...>
step c1: commit
step l2: <... completed>
v   
----
done
(1 row)

step c2: commit
`);
  });

  it('runs global setups, session setups and teardowns around every permutation, on generated permutations', async () => {
    const { text, log } = await run(`
setup { one }
setup { two }
teardown { three }
session a
setup { select a-setup }
step a1 { select 1 }
teardown { select a-teardown }
session b
step b1 { select 2 }
`);
    expect(log.control).toEqual(['one', 'two', 'three', 'one', 'two', 'three']);
    expect(text.match(/starting permutation: .*/g)).toEqual([
      'starting permutation: a1 b1',
      'starting permutation: b1 a1',
    ]);
    expect(text).toContain(
      '\nstarting permutation: a1 b1\nv      \n-------\na-setup\n(1 row)\n\nstep a1: select 1\n',
    );
    expect(text).toContain(
      'step b1: select 2\nv\n-\n2\n(1 row)\n\nv         \n----------\na-teardown\n(1 row)\n\n',
    );
  });

  it('completes waiting steps in the order they began to wait', async () => {
    const { text } = await run(`
session s1
step l1 { lock a }
step c1 { commit }
session s2
step l2 { lock a }
step c2 { commit }
session s3
step l3 { lock a }
step c3 { commit }
permutation l1 l2 l3 c1 c2 c3
`);
    expect(text).toContain(
      'step l2: lock a <waiting ...>\nstep l3: lock a <waiting ...>\nstep c1: commit\nstep l2: <... completed>\nstep c2: commit\nstep l3: <... completed>\nstep c3: commit\n',
    );
  });

  it('shows (*) steps as waiting once, and holds (other) steps until the other step completes', async () => {
    const { text } = await run(`
session s1
step l1 { lock a }
step c1 { commit }
session s2
step quick { select 1 }
step l2 { lock a }
permutation quick(*) l1 l2 c1(l2)
`);
    expect(text).toBe(`Parsed test spec with 2 sessions

starting permutation: quick l1 l2 c1
step quick: select 1 <waiting ...>
step l1: lock a
step quick: <... completed>
v
-
1
(1 row)

step l2: lock a <waiting ...>
step c1: commit <waiting ...>
step l2: <... completed>
step c1: <... completed>
`);
  });

  it('holds a (other notices N) step until the other session printed N more notices', async () => {
    const { text } = await run(`
session s1
step n1 { notice one }
step n2 { notice two; notice three }
session s2
step w { select waited }
permutation w(n2 notices 2) n1 n2
`);
    expect(text).toBe(`Parsed test spec with 2 sessions

starting permutation: w n1 n2
step w: select waited <waiting ...>
s1: NOTICE:  one
step n1: notice one
s1: NOTICE:  two
s1: NOTICE:  three
step n2: notice two; notice three
step w: <... completed>
v     
------
waited
(1 row)

`);
  });

  it('prints a notice where libpq reads it: before the step line, or between results when rows were under way', async () => {
    // "notice" is a statement of its own that raises a notice before completing (like DO); "rownotice"
    // returns a row and raises its notice after its RowDescription.
    const { text } = await run(`
session s1
step a { select 1; notice after-first; select 2; rownotice during-fourth }
permutation a
`);
    expect(text).toBe(`Parsed test spec with 1 sessions

starting permutation: a
s1: NOTICE:  after-first
step a: select 1; notice after-first; select 2; rownotice during-fourth
v
-
1
(1 row)

v
-
2
(1 row)

s1: NOTICE:  during-fourth
v            
-------------
during-fourth
(1 row)

`);
  });

  it('lets virtual time pass only through the backend: a sleeping step completes without being called waiting', async () => {
    const { text, log } = await run('session s1 step z { sleep 2500; select awake } permutation z');
    expect(text).toContain('step z: sleep 2500; select awake\n');
    expect(text).not.toContain('waiting');
    expect(log.elapsed()).toBeGreaterThanOrEqual(2500);
    expect(log.elapsed()).toBeLessThan(2600);
  });

  it('cancels a step that runs longer than the maximum wait, and says so', async () => {
    const { text, aborted, log } = await run(
      'session s1 step h { hang } step after { select 1 } permutation h after',
      1000,
    );
    expect(aborted).toBeNull();
    expect(text).toContain(
      'isolationtester: canceling step h after 1 seconds\nstep h: hang\nERROR:  canceling statement due to user request\nstep after: select 1\n',
    );
    expect(log.elapsed()).toBeGreaterThan(1000);
    expect(log.elapsed()).toBeLessThan(1100);
  });

  it('cancels a lock wait that nothing releases before running the next step of that session', async () => {
    const { text } = await run(
      `
session s1
step l1 { lock a }
session s2
step l2 { lock a }
step c2 { commit }
permutation l1 l2 c2
`,
      2000,
    );
    expect(text).toContain(
      'step l2: lock a <waiting ...>\nisolationtester: canceling step l2 after 2 seconds\nstep l2: <... completed>\nERROR:  canceling statement due to user request\nstep c2: commit\n',
    );
  });

  it('gives up at twice the maximum wait when a cancel does not end the step', async () => {
    const { text, aborted } = await run('session s1 step h { stubborn } permutation h', 1000);
    expect(aborted).toBe('step h timed out after 2 seconds');
    expect(text).toMatch(
      /isolationtester: canceling step h after 1 seconds\nstep h timed out after 2 seconds\n$/,
    );
  });

  it('gives up on a permutation whose blocker conditions can never be met', async () => {
    const { text, aborted } = await run(`
session s1
step n { notice only-one }
session s2
step w { select 1 }
permutation w(n notices 2) n
`);
    expect(aborted).toBe('failed to complete permutation due to mutually-blocking steps');
    expect(
      text.endsWith(
        'step n: notice only-one\nfailed to complete permutation due to mutually-blocking steps\n',
      ),
    ).toBe(true);
  });

  it('prints the errors of a step, with what ran before them', async () => {
    const { text, events } = await run('session s1 step f { select 1; fail boom; select 2 } permutation f');
    expect(text).toContain('step f: select 1; fail boom; select 2\nv\n-\n1\n(1 row)\n\nERROR:  boom\n');
    expect(renderJsonLines('test', events)).toBe(
      '{"spec":"test","permutation":["f"],"events":[{"step":"f","results":[{"command":"SELECT","rowCount":1,"fields":["v"],"rows":[["1"]]}],"error":{"sqlstate":"P0001","message":"boom","detail":null,"hint":null}}]}\n',
    );
  });
});

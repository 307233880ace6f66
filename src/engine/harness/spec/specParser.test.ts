import { describe, expect, it } from 'vitest';
import { parseSpec } from './specParser';
import { printSpec } from './specPrinter';
import { SpecSyntaxError } from './specSyntaxError';
import type { TestSpec } from './specTypes';

/** The spec without source positions, for comparing a spec with its reparsed print. */
function withoutPositions(spec: TestSpec): unknown {
  return JSON.parse(JSON.stringify(spec, (key, value: unknown) => (key === 'at' ? undefined : value)));
}

function syntaxError(text: string): SpecSyntaxError {
  try {
    parseSpec(text);
  } catch (error) {
    if (error instanceof SpecSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a syntax error');
}

describe('parseSpec', () => {
  it('reads global setups in order, the teardown, sessions with setup/steps/teardown, and permutations', () => {
    const spec = parseSpec(`
# a comment
setup { CREATE TABLE t (id int); }
setup
{
  INSERT INTO t VALUES (1);
}
teardown { DROP TABLE t; }
session s1
setup { BEGIN; }
step r1 { SELECT * FROM t; }
step c1 { COMMIT; }  # trailing comment
teardown { ROLLBACK; }
session "two words"
step w2 { UPDATE t SET id = 2; }
permutation r1 w2 c1
permutation w2(*) r1("c1") c1(w2, r1 notices 3)
`);
    expect(withoutPositions(spec)).toEqual({
      setup: ['CREATE TABLE t (id int);', '\n  INSERT INTO t VALUES (1);\n'],
      teardown: 'DROP TABLE t;',
      sessions: [
        {
          name: 's1',
          setup: 'BEGIN;',
          steps: [
            { name: 'r1', sql: 'SELECT * FROM t;' },
            { name: 'c1', sql: 'COMMIT;' },
          ],
          teardown: 'ROLLBACK;',
        },
        {
          name: 'two words',
          setup: null,
          steps: [{ name: 'w2', sql: 'UPDATE t SET id = 2;' }],
          teardown: null,
        },
      ],
      permutations: [
        {
          steps: [
            { name: 'r1', blockers: [] },
            { name: 'w2', blockers: [] },
            { name: 'c1', blockers: [] },
          ],
        },
        {
          steps: [
            { name: 'w2', blockers: [{ kind: 'once' }] },
            { name: 'r1', blockers: [{ kind: 'otherStep', step: 'c1' }] },
            {
              name: 'c1',
              blockers: [
                { kind: 'otherStep', step: 'w2' },
                { kind: 'notices', step: 'r1', count: 3 },
              ],
            },
          ],
        },
      ],
    });
  });

  it('keeps SQL verbatim except the blanks right after { and right before }', () => {
    const spec = parseSpec('session s step a {\t  SELECT 1;\n  SELECT  2; \t}\nstep b {}');
    expect(spec.sessions[0]?.steps.map((step) => step.sql)).toEqual(['SELECT 1;\n  SELECT  2;', '']);
  });

  it('treats keywords as keywords only as whole words, and "" as a quote inside a quoted name', () => {
    const spec = parseSpec('session setups step "step" { } step "a""b" { } step steps$1 { }');
    expect(spec.sessions[0]?.name).toBe('setups');
    expect(spec.sessions[0]?.steps.map((step) => step.name)).toEqual(['step', 'a"b', 'steps$1']);
  });

  it('records where names are written', () => {
    const spec = parseSpec('session s\nstep   one { }\npermutation one');
    expect(spec.sessions[0]?.steps[0]?.at).toEqual({ line: 2, column: 8 });
    expect(spec.permutations[0]?.steps[0]?.at).toEqual({ line: 3, column: 13 });
  });

  it.each([
    ['session s step a { SELECT 1;', 'unterminated sql block', 1, 18],
    [
      'session s\nstep a { }\npermutation a b(c',
      'syntax error: expected "," or ")", found the end of the spec',
      3,
      18,
    ],
    ['session s step "a\nb" { }', 'unexpected newline in quoted identifier', 1, 18],
    ['session s step "ab { }', 'unterminated quoted identifier', 1, 16],
    ['session s\n  step a { } ;', 'unexpected character ";"', 2, 14],
    [
      'setup { }',
      'syntax error: expected "setup", "teardown" or "session", found the end of the spec',
      1,
      10,
    ],
    ['session s setup { }', 'syntax error: expected "step", found the end of the spec', 1, 20],
    [
      'session s step a { } setup { }',
      'syntax error: expected "session", "permutation" or the end of the spec, found keyword "setup"',
      1,
      22,
    ],
    [
      'session s step a { } permutation a(b notices) ',
      'syntax error: expected a number of notices, found ")"',
      1,
      45,
    ],
    ['session s step 1 { }', 'syntax error: expected a step name, found number 1', 1, 16],
  ])('reports %j as "%s" at line %i, column %i', (text, reason, line, column) => {
    const error = syntaxError(text);
    expect({ reason: error.reason, line: error.line, column: error.column }).toEqual({
      reason,
      line,
      column,
    });
    expect(error.message).toBe(`${reason} at line ${line}, column ${column}`);
  });
});

describe('printSpec', () => {
  it('prints a spec that parses back to the same spec', () => {
    const text = `setup { CREATE TABLE t (id int); }
setup
{
  INSERT INTO t VALUES (1);
}
session "s 1"
step "x""y" {
    SELECT 1;
}
step step2 { SELECT 2; }
session setup2
step z { }
permutation "x""y"(*) z(step2, "x""y" notices 2) step2
`;
    const spec = parseSpec(text);
    const printed = printSpec(spec);
    expect(withoutPositions(parseSpec(printed))).toEqual(withoutPositions(spec));
    expect(printed).toContain('step "x""y" {\n    SELECT 1;\n}');
    expect(printed).toContain('permutation "x""y"(*) z(step2, "x""y" notices 2) step2');
  });

  it('refuses what the format cannot hold', () => {
    const spec = parseSpec('session s step a { SELECT 1; }');
    const step = spec.sessions[0]?.steps[0];
    if (!step) throw new Error('no step');
    step.sql = "SELECT '}'";
    expect(() => printSpec(spec)).toThrow(/cannot contain "}"/);
    step.sql = ' SELECT 1';
    expect(() => printSpec(spec)).toThrow(/blank/);
    step.sql = 'SELECT 1';
    step.name = 'a\nb';
    expect(() => printSpec(spec)).toThrow(/newline/);
  });
});

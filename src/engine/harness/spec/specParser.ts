/**
 * Parses an isolation-tester spec with the grammar of PostgreSQL's `src/test/isolation/specparse.y`:
 *
 *     spec        := setup* [teardown] session+ permutation*
 *     setup       := 'setup' SQL          teardown := 'teardown' SQL
 *     session     := 'session' NAME [setup] step+ [teardown]
 *     step        := 'step' NAME SQL
 *     permutation := 'permutation' pstep+
 *     pstep       := NAME [ '(' blocker { ',' blocker } ')' ]
 *     blocker     := '*' | NAME | NAME 'notices' INTEGER
 *
 * Errors are `SpecSyntaxError`s with the line and column of the offending token.
 */
import { scanSpec, type SpecKeyword, type SpecToken } from './specScanner';
import { SpecSyntaxError } from './specSyntaxError';
import type {
  PermutationStep,
  SourcePosition,
  SpecPermutation,
  SpecSession,
  SpecStep,
  StepBlocker,
  TestSpec,
} from './specTypes';

export function parseSpec(text: string): TestSpec {
  return new SpecParser(scanSpec(text)).parseSpec();
}

function describe(token: SpecToken): string {
  switch (token.kind) {
    case 'keyword':
      return `keyword "${token.keyword}"`;
    case 'identifier':
      return `name "${token.name}"`;
    case 'sql':
      return 'an SQL block';
    case 'integer':
      return `number ${token.text}`;
    case 'punctuation':
      return `"${token.char}"`;
    case 'end':
      return 'the end of the spec';
  }
}

class SpecParser {
  private index = 0;

  constructor(private readonly tokens: readonly SpecToken[]) {}

  parseSpec(): TestSpec {
    const setup: string[] = [];
    while (this.atKeyword('setup')) setup.push(this.sqlAfterKeyword('setup'));
    const teardown = this.atKeyword('teardown') ? this.sqlAfterKeyword('teardown') : null;
    const sessions: SpecSession[] = [];
    do {
      sessions.push(this.parseSession(sessions.length === 0));
    } while (this.atKeyword('session'));
    const permutations: SpecPermutation[] = [];
    while (this.atKeyword('permutation')) permutations.push(this.parsePermutation());
    const last = this.peek();
    if (last.kind !== 'end') {
      this.fail(last, sessions.length > 0 ? '"session", "permutation" or the end of the spec' : '');
    }
    return { setup, teardown, sessions, permutations };
  }

  private parseSession(first: boolean): SpecSession {
    if (!this.atKeyword('session')) {
      this.fail(this.peek(), first ? '"setup", "teardown" or "session"' : '"session"');
    }
    this.next();
    const { name, at } = this.expectName('a session name');
    const setup = this.atKeyword('setup') ? this.sqlAfterKeyword('setup') : null;
    const steps: SpecStep[] = [];
    if (!this.atKeyword('step')) this.fail(this.peek(), setup === null ? '"setup" or "step"' : '"step"');
    while (this.atKeyword('step')) steps.push(this.parseStep());
    const teardown = this.atKeyword('teardown') ? this.sqlAfterKeyword('teardown') : null;
    return { name, setup, steps, teardown, at };
  }

  private parseStep(): SpecStep {
    this.next();
    const { name, at } = this.expectName('a step name');
    return { name, sql: this.expectSql(), at };
  }

  private parsePermutation(): SpecPermutation {
    const at = this.next().at;
    const steps: PermutationStep[] = [this.parsePermutationStep()];
    while (this.peek().kind === 'identifier') steps.push(this.parsePermutationStep());
    return { steps, at };
  }

  private parsePermutationStep(): PermutationStep {
    const { name, at } = this.expectName('a step name');
    const blockers: StepBlocker[] = [];
    if (this.atPunctuation('(')) {
      this.next();
      blockers.push(this.parseBlocker());
      while (this.atPunctuation(',')) {
        this.next();
        blockers.push(this.parseBlocker());
      }
      if (!this.atPunctuation(')')) this.fail(this.peek(), '"," or ")"');
      this.next();
    }
    return { name, blockers, at };
  }

  private parseBlocker(): StepBlocker {
    const token = this.peek();
    if (token.kind === 'punctuation' && token.char === '*') {
      this.next();
      return { kind: 'once', at: token.at };
    }
    if (token.kind !== 'identifier') return this.fail(token, '"*" or a step name');
    this.next();
    if (!this.atKeyword('notices')) return { kind: 'otherStep', step: token.name, at: token.at };
    this.next();
    const count = this.peek();
    if (count.kind !== 'integer') return this.fail(count, 'a number of notices');
    this.next();
    return { kind: 'notices', step: token.name, count: count.value, at: token.at };
  }

  private sqlAfterKeyword(keyword: SpecKeyword): string {
    if (!this.atKeyword(keyword)) this.fail(this.peek(), `"${keyword}"`);
    this.next();
    return this.expectSql();
  }

  private expectSql(): string {
    const token = this.peek();
    if (token.kind !== 'sql') return this.fail(token, 'an SQL block "{ … }"');
    this.next();
    return token.sql;
  }

  private expectName(what: string): { name: string; at: SourcePosition } {
    const token = this.peek();
    if (token.kind !== 'identifier') return this.fail(token, what);
    this.next();
    return { name: token.name, at: token.at };
  }

  private atKeyword(keyword: SpecKeyword): boolean {
    const token = this.peek();
    return token.kind === 'keyword' && token.keyword === keyword;
  }

  private atPunctuation(char: string): boolean {
    const token = this.peek();
    return token.kind === 'punctuation' && token.char === char;
  }

  private peek(): SpecToken {
    const token = this.tokens[this.index] ?? this.tokens[this.tokens.length - 1];
    if (!token) throw new Error('the scanner always ends with an end token');
    return token;
  }

  private next(): SpecToken {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index += 1;
    return token;
  }

  private fail(found: SpecToken, expected: string): never {
    const reason = expected
      ? `syntax error: expected ${expected}, found ${describe(found)}`
      : `syntax error: unexpected ${describe(found)}`;
    throw new SpecSyntaxError(reason, found.at);
  }
}

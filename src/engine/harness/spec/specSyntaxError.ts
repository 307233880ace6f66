import type { SourcePosition } from './specTypes';

/** A spec that does not follow the grammar, with where the problem is. */
export class SpecSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  /** The problem without its position, e.g. `unterminated sql block`. */
  readonly reason: string;

  constructor(reason: string, at: SourcePosition) {
    super(`${reason} at line ${at.line}, column ${at.column}`);
    this.name = 'SpecSyntaxError';
    this.reason = reason;
    this.line = at.line;
    this.column = at.column;
  }
}

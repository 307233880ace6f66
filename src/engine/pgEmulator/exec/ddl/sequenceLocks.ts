/**
 * The locks a statement's sequence calls take. In PostgreSQL nextval, currval and setval open the
 * sequence with RowExclusiveLock, held to the end of the transaction: they wait behind an
 * uncommitted ALTER SEQUENCE (ShareRowExclusiveLock) or DROP SEQUENCE, and make those wait. The
 * engine takes the same locks, before the statement runs, for calls whose sequence is written as a
 * literal (`nextval('s')`, `nextval('s'::regclass)`).
 */
import type { EngineCore } from '../../core';
import { PgError } from '../../errors';
import { LockMode } from '../../locks/lockModes';
import type { A_Const, FuncCall, Node } from '../../sql/ast';
import { asNode, nameList } from '../../sql/ast';
import { walk } from '../../sql/walk';
import type { Session, Task } from '../../session/session';
import { acquireLock } from '../../waits/lockWait';
import { resolveSequence, sequenceTag } from './sequenceCatalog';
import { SEQUENCE_FUNCTIONS, startSessionSequences } from './sequenceFunctions';

interface SequenceCall {
  schema: string | undefined;
  name: string;
  location: number | undefined;
}

function literalText(node: Node | undefined): { text: string; location: number | undefined } | null {
  const cast = asNode(node, 'TypeCast');
  const constant = (asNode(cast ? cast.arg : node, 'A_Const') as A_Const | undefined) ?? undefined;
  const text = constant?.sval?.sval;
  return text === undefined ? null : { text, location: constant?.location };
}

/** Splits a regclass literal the way PostgreSQL reads it: `a.b`, `"A".b`, lower-casing unquoted parts. */
function splitName(text: string): { schema: string | undefined; name: string } {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '"') {
      if (quoted && text[i + 1] === '"') {
        current += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === '.' && !quoted) {
      parts.push(current);
      current = '';
    } else current += quoted ? ch : ch.toLowerCase();
  }
  parts.push(current);
  const name = parts[parts.length - 1] ?? '';
  return { schema: parts.length > 1 ? parts[parts.length - 2] : undefined, name };
}

/** Sequence calls with a literal sequence name, in the order written. */
export function sequenceCalls(root: Node): SequenceCall[] {
  const calls: SequenceCall[] = [];
  walk(root, {
    enter(node, tag) {
      if (tag !== 'FuncCall') return;
      const call = asNode(node, 'FuncCall') as FuncCall;
      const names = nameList(call.funcname);
      const name = names[names.length - 1] ?? '';
      const qualifier = names.length === 2 ? names[0] : undefined;
      if (!SEQUENCE_FUNCTIONS.has(name) || name === 'lastval') return;
      if (qualifier !== undefined && qualifier !== 'pg_catalog' && qualifier !== '_emul') return;
      const literal = literalText(call.args?.[0]);
      if (!literal) return;
      calls.push({ ...splitName(literal.text), location: literal.location });
    },
  });
  return calls;
}

/** Takes RowExclusiveLock on every sequence the statement calls by name (and readies the session's sequence state). */
export function* lockSequencesUsed(core: EngineCore, session: Session, root: Node): Task<void> {
  startSessionSequences(core, session);
  for (const call of sequenceCalls(root)) {
    const sequence = resolveSequence(core, session, call.schema, call.name);
    if (sequence === undefined) continue; // PostgreSQL's own error comes when the statement runs
    const shown = call.schema ? `${call.schema}.${call.name}` : call.name;
    const missing = (): PgError => PgError.of('42P01', `relation "${shown}" does not exist`);
    if (sequence === 'invisible') throw missing();
    yield* acquireLock(core, session, sequenceTag(sequence), LockMode.RowExclusive);
    if (!core.catalog.sequences.has(sequence.oid)) throw missing();
  }
}

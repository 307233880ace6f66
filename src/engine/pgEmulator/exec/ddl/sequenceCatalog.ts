/**
 * Finding a sequence by name as a session sees it. Sequences live in PGlite under their own
 * names; the engine's catalog remembers the ones a transaction created or dropped and has not
 * committed (hidden from other sessions, or from the dropping session), and every sequence it has
 * met, so that its OID is its lock identity.
 */
import type { SequenceInfo } from '../../catalog/catalog';
import { objectVisibleTo, searchPathSchemas } from '../../catalog/resolve';
import type { EngineCore } from '../../core';
import type { LockTag } from '../../locks/lockTag';
import type { Session } from '../../session/session';

export function sequenceTag(sequence: SequenceInfo): LockTag {
  return { type: 'relation', relationOid: sequence.oid, relationName: sequence.name };
}

/** The qualified name a sequence has in PGlite now (a dropped one is parked under another name). */
export function qualifiedSequence(sequence: SequenceInfo): string {
  const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
  return `${quote(sequence.schema)}.${quote(sequence.storedAs ?? sequence.name)}`;
}

/** A PGlite sequence by schema and name, registered in the catalog as committed. */
function pgliteSequence(core: EngineCore, schema: string, name: string): SequenceInfo | undefined {
  const [row] = core.host.rows(
    `SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = 'S'`,
    [schema, name],
  );
  if (!row) return undefined;
  const oid = Number(row[0]);
  const known = core.catalog.sequences.get(oid);
  if (known) return known;
  const sequence: SequenceInfo = { oid, schema, name, createdBy: null, droppedBy: null };
  core.catalog.sequences.set(oid, sequence);
  return sequence;
}

/**
 * The sequence a (possibly schema-qualified) name means for the session: the sequence, 'invisible'
 * when it is one the session must not see (created by another open transaction, or dropped by its
 * own), or undefined.
 */
export function resolveSequence(
  core: EngineCore,
  session: Session,
  schema: string | undefined,
  name: string,
): SequenceInfo | 'invisible' | undefined {
  const schemas = schema ? [schema] : searchPathSchemas(session);
  for (const candidate of schemas) {
    let hidden = false;
    for (const sequence of core.catalog.sequences.values()) {
      if (sequence.schema !== candidate || sequence.name !== name) continue;
      if (sequence.storedAs === undefined && sequence.createdBy === null && sequence.droppedBy === null)
        continue;
      if (objectVisibleTo(core, session, sequence)) return sequence;
      hidden = true;
    }
    if (hidden) return 'invisible';
    const found = pgliteSequence(core, candidate, name);
    if (found) return found;
  }
  return undefined;
}

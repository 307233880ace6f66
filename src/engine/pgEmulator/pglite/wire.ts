/**
 * Synchronous access to PGlite over the PostgreSQL wire protocol.
 *
 * The engine talks to PGlite only through `execProtocolRawSync`, so every engine operation is
 * synchronous and deterministic. Values come back in PostgreSQL's text output format.
 */
import { protocol } from '@electric-sql/pglite';
import type { PgMessage, ResultField } from '../api/results';

const { serialize, Parser } = protocol;

/** The subset of PGlite the wire layer needs. */
export interface RawProtocolPeer {
  execProtocolRawSync(message: Uint8Array): Uint8Array;
}

/** The result of one statement run through the extended protocol. */
export interface WireResult {
  fields: ResultField[] | null;
  rows: (string | null)[][];
  /** Command tag, or null when the portal was suspended (row limit reached) or nothing ran. */
  tag: string | null;
  /** True when Execute stopped at its row limit. */
  suspended: boolean;
  /** Rows the statement returned in all (more than `rows` holds when `keepRows` cut them). */
  rowCount: number;
  error: PgMessage | null;
  notices: PgMessage[];
}

/** What Parse + Describe say about a statement. */
export interface DescribeResult {
  parameterTypes: number[];
  /** Result columns with their type modifiers, or null for a statement without a result. */
  fields: (ResultField & { typeModifier: number })[] | null;
  error: PgMessage | null;
}

/** One statement of a pipeline. */
export interface PipelineStep {
  sql: string;
  params?: readonly (string | null)[];
  /** Reuse a server-side prepared statement with this name (prepared on first use). */
  statementName?: string;
  /** Maximum rows to fetch (0 = all). */
  maxRows?: number;
  /** Keep only this many rows in the result; the statement still runs to completion (the rest are counted). */
  keepRows?: number;
  /** Send Sync after this step: an error before it skips only the steps up to here. */
  syncAfter?: boolean;
}

interface BackendMessage {
  name: string;
  [key: string]: unknown;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function toPgMessage(message: BackendMessage): PgMessage {
  const text = (key: string): string | undefined => {
    const value = message[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const result: PgMessage = {
    severity: text('severity') ?? 'ERROR',
    sqlstate: text('code') ?? 'XX000',
    message: text('message') ?? '',
  };
  const detail = text('detail');
  const hint = text('hint');
  const context = text('where');
  const position = text('position');
  if (detail !== undefined) result.detail = detail;
  if (hint !== undefined) result.hint = hint;
  if (context !== undefined) result.context = context;
  if (position !== undefined) result.position = Number(position);
  return result;
}

function emptyResult(): WireResult {
  return { fields: null, rows: [], tag: null, suspended: false, rowCount: 0, error: null, notices: [] };
}

export class Wire {
  private readonly prepared = new Set<string>();

  constructor(private readonly peer: RawProtocolPeer) {}

  private roundTrip(parts: Uint8Array[]): BackendMessage[] {
    const reply = this.peer.execProtocolRawSync(concat(parts));
    const messages: BackendMessage[] = [];
    new Parser().parse(reply, (message) => messages.push(message as unknown as BackendMessage));
    return messages;
  }

  /**
   * Runs the steps in one round trip, each with Parse/Bind/Describe/Execute, and one Sync at the end.
   * After an error PostgreSQL skips the remaining steps: they come back with `tag: null`.
   */
  pipeline(steps: readonly PipelineStep[]): WireResult[] {
    const parts: Uint8Array[] = [];
    const parsing = new Set<string>();
    for (const step of steps) {
      const name = step.statementName ?? '';
      if (name === '' || (!this.prepared.has(name) && !parsing.has(name))) {
        parts.push(serialize.parse({ name, text: step.sql, types: [] }));
        if (name !== '') parsing.add(name);
      }
      parts.push(serialize.bind({ statement: name, values: (step.params ?? []) as (string | null)[] }));
      parts.push(serialize.describe({ type: 'P' }));
      parts.push(serialize.execute({ rows: step.maxRows ?? 0 }));
      if (step.syncAfter) parts.push(serialize.sync());
    }
    if (!steps[steps.length - 1]?.syncAfter) parts.push(serialize.sync());
    const messages = this.roundTrip(parts);

    const results: WireResult[] = steps.map(() => emptyResult());
    let index = 0;
    let failed = false;
    for (const message of messages) {
      if (failed) {
        // After an error PostgreSQL skips everything up to the next Sync.
        if (message.name === 'readyForQuery') {
          failed = false;
          while (index < steps.length && !steps[index]?.syncAfter) index++;
          index++;
        }
        continue;
      }
      const current = results[index];
      switch (message.name) {
        case 'parseComplete': {
          const name = steps[index]?.statementName;
          if (name) this.prepared.add(name);
          break;
        }
        case 'rowDescription': {
          const fields = message['fields'] as { name: string; dataTypeID: number }[];
          if (current) current.fields = fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID }));
          break;
        }
        case 'dataRow':
          if (current) {
            const keep = steps[index]?.keepRows;
            if (keep === undefined || current.rows.length < keep)
              current.rows.push(message['fields'] as (string | null)[]);
            current.rowCount++;
          }
          break;
        case 'commandComplete':
          if (current) current.tag = message['text'] as string;
          index++;
          break;
        case 'emptyQuery':
          if (current) current.tag = '';
          index++;
          break;
        case 'portalSuspended':
          if (current) current.suspended = true;
          index++;
          break;
        case 'notice':
          current?.notices.push(toPgMessage(message));
          break;
        case 'error':
          if (current) current.error = toPgMessage(message);
          failed = true;
          break;
        default:
          break;
      }
    }
    return results;
  }

  /** Runs SQL with the simple-query protocol (several statements allowed); returns every result. */
  simple(sql: string): WireResult[] {
    const messages = this.roundTrip([serialize.query(sql)]);
    const results: WireResult[] = [];
    let current = emptyResult();
    for (const message of messages) {
      switch (message.name) {
        case 'rowDescription': {
          const fields = message['fields'] as { name: string; dataTypeID: number }[];
          current.fields = fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID }));
          break;
        }
        case 'dataRow':
          current.rows.push(message['fields'] as (string | null)[]);
          current.rowCount++;
          break;
        case 'commandComplete':
          current.tag = message['text'] as string;
          results.push(current);
          current = emptyResult();
          break;
        case 'emptyQuery':
          current.tag = '';
          results.push(current);
          current = emptyResult();
          break;
        case 'notice':
          current.notices.push(toPgMessage(message));
          break;
        case 'error':
          current.error = toPgMessage(message);
          results.push(current);
          current = emptyResult();
          break;
        default:
          break;
      }
    }
    return results;
  }

  /**
   * Parse-analyses a statement without running it (Parse + Describe of the unnamed statement):
   * its parameter types and result columns (with type modifiers), or PostgreSQL's error.
   */
  describe(sql: string, parameterTypes: readonly number[] = []): DescribeResult {
    const messages = this.roundTrip([
      serialize.parse({ name: '', text: sql, types: [...parameterTypes] }),
      serialize.describe({ type: 'S', name: '' }),
      serialize.sync(),
    ]);
    const result: DescribeResult = { parameterTypes: [], fields: null, error: null };
    for (const message of messages) {
      if (message.name === 'parameterDescription')
        result.parameterTypes = [...(message['dataTypeIDs'] as number[])];
      if (message.name === 'rowDescription') {
        const fields = message['fields'] as { name: string; dataTypeID: number; dataTypeModifier: number }[];
        result.fields = fields.map((f) => ({
          name: f.name,
          typeOid: f.dataTypeID,
          typeModifier: f.dataTypeModifier,
        }));
      }
      if (message.name === 'error' && !result.error) result.error = toPgMessage(message);
    }
    return result;
  }

  /** Forgets a server-side prepared statement name (after DEALLOCATE or a failed Parse). */
  forget(statementName: string): void {
    this.prepared.delete(statementName);
  }

  /** Forgets every cached server-side statement (their plans may be stale after DDL). */
  forgetAll(): void {
    if (this.prepared.size === 0) return;
    const closes = [...this.prepared].map((name) => serialize.close({ type: 'S', name }));
    this.prepared.clear();
    this.roundTrip([...closes, serialize.sync()]);
  }
}

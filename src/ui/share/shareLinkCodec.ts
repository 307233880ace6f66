/**
 * Share links: the playground's state in a URL. Versioned, compressed, URL-safe:
 *
 *     <version>.<base64url(deflate(UTF-8 JSON))>      (base64url without padding)
 *
 * `decodeShareLink` never throws: a damaged, foreign or future link gives a message a person can
 * act on. Decoding is bounded, so a crafted link cannot make the page inflate gigabytes.
 */
import { Inflate, deflateSync, strFromU8, strToU8 } from 'fflate';

export const shareLinkVersion = 1;

/** What a link carries: the shared setup SQL and each session's editor text. */
export interface ShareState {
  setup: string;
  sessions: SharedSession[];
}

export interface SharedSession {
  name: string;
  sql: string;
}

export const minSharedSessions = 2;
export const maxSharedSessions = 4;
const maxLinkLength = 64 * 1024;
const maxDecodedBytes = 1024 * 1024;

export type DecodedShareLink = { ok: true; state: ShareState } | { ok: false; message: string };

export function encodeShareLink(state: ShareState): string {
  const json = JSON.stringify({ setup: state.setup, sessions: state.sessions });
  return `${shareLinkVersion}.${toBase64Url(deflateSync(strToU8(json), { level: 9 }))}`;
}

export function decodeShareLink(link: string): DecodedShareLink {
  const damaged = (why: string): DecodedShareLink => ({
    ok: false,
    message: `This share link is damaged or incomplete (${why}). Ask for the link again, or copy all of it.`,
  });
  const trimmed = link.trim();
  if (trimmed.length > maxLinkLength) return damaged('it is too long');
  const match = /^(\d+)\.([A-Za-z0-9_-]+)$/.exec(trimmed);
  if (!match) return damaged('it is not in the playground’s format');
  const [, versionText = '', payload = ''] = match;
  const version = Number(versionText);
  if (version !== shareLinkVersion) {
    return {
      ok: false,
      message:
        version > shareLinkVersion
          ? `This share link was made by a newer version of the playground (format ${version}); this one reads format ${shareLinkVersion}. Reload the page to get the newest version.`
          : `This share link uses format ${version}, which this playground does not read (it reads format ${shareLinkVersion}).`,
    };
  }
  const bytes = fromBase64Url(payload);
  if (!bytes) return damaged('its text is not valid base64url');
  const inflated = boundedInflate(bytes);
  if (inflated === 'too large') return damaged('it unpacks to more than a megabyte');
  if (inflated === null) return damaged('its data does not unpack');
  let value: unknown;
  try {
    value = JSON.parse(strFromU8(inflated));
  } catch {
    return damaged('its data is not JSON');
  }
  const problem = shareStateProblem(value);
  return problem ? damaged(problem) : { ok: true, state: value as ShareState };
}

function shareStateProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'no state in it';
  const { setup, sessions } = value as { setup?: unknown; sessions?: unknown };
  if (typeof setup !== 'string') return 'no setup SQL in it';
  if (!Array.isArray(sessions)) return 'no sessions in it';
  if (sessions.length < minSharedSessions || sessions.length > maxSharedSessions) {
    return `${sessions.length} sessions instead of ${minSharedSessions} to ${maxSharedSessions}`;
  }
  for (const session of sessions as unknown[]) {
    const { name, sql } = (session ?? {}) as { name?: unknown; sql?: unknown };
    if (typeof name !== 'string' || name === '' || typeof sql !== 'string')
      return 'a session without a name or SQL';
  }
  return null;
}

function boundedInflate(bytes: Uint8Array): Uint8Array | 'too large' | null {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let tooLarge = false;
  const inflater = new Inflate((chunk) => {
    size += chunk.length;
    if (size > maxDecodedBytes) tooLarge = true;
    else chunks.push(chunk);
  });
  try {
    // Feed small slices so the size check runs before much output is produced.
    for (let offset = 0; offset < bytes.length && !tooLarge; offset += 1024) {
      const end = Math.min(offset + 1024, bytes.length);
      inflater.push(bytes.subarray(offset, end), end === bytes.length);
    }
  } catch {
    return tooLarge ? 'too large' : null;
  }
  if (tooLarge) return 'too large';
  const output = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    output.set(chunk, offset);
    offset += chunk.length;
  }
  return output;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(binary, (character) => character.charCodeAt(0));
  } catch {
    return null;
  }
}

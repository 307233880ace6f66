import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeShareLink, encodeShareLink, type ShareState } from './shareLinkCodec';

const state: ShareState = {
  setup:
    'CREATE TABLE accounts (id int PRIMARY KEY, balance int);\nINSERT INTO accounts VALUES (1, 100), (2, 100);',
  sessions: [
    { name: 'A', sql: 'BEGIN;\nUPDATE accounts SET balance = balance - 10 WHERE id = 1;' },
    { name: 'B', sql: "BEGIN ISOLATION LEVEL REPEATABLE READ;\nSELECT 'ünïcødé 😀', balance FROM accounts;" },
  ],
};

function payloadLink(json: string): string {
  const bytes = deflateSync(strToU8(json));
  return `1.${Buffer.from(bytes).toString('base64url')}`;
}

describe('share links', () => {
  it('round-trip the state, Unicode included', () => {
    const link = encodeShareLink(state);
    expect(decodeShareLink(link)).toEqual({ ok: true, state });
  });

  it('are versioned, URL-safe base64 without padding', () => {
    for (const sessions of [state.sessions, [...state.sessions, { name: 'C', sql: '' }]]) {
      const link = encodeShareLink({ ...state, sessions });
      expect(link).toMatch(/^1\.[A-Za-z0-9_-]+$/);
    }
  });

  it('compress', () => {
    const long = { ...state, setup: 'INSERT INTO t VALUES (1);\n'.repeat(200) };
    expect(encodeShareLink(long).length).toBeLessThan(long.setup.length / 10);
  });

  it('carry only the state’s own fields', () => {
    const withExtra = { ...state, secret: 'x' } as ShareState;
    expect(decodeShareLink(encodeShareLink(withExtra))).toEqual({ ok: true, state });
  });

  it.each([
    ['', /not in the playground’s format/],
    ['hello world', /not in the playground’s format/],
    ['1.', /not in the playground’s format/],
    ['1.@@@', /not in the playground’s format/],
    ['1.A', /not valid base64url/],
    ['1.AAAAAAAA', /does not unpack/],
    [payloadLink('not json'), /not JSON/],
    [payloadLink('{"setup":"","sessions":[{"name":"A","sql":""}]}'), /1 sessions instead of 2 to 4/],
    [payloadLink('{"setup":"","sessions":[{"name":"","sql":""},{"name":"B","sql":""}]}'), /without a name/],
    [payloadLink('{"sessions":[]}'), /no setup SQL/],
    [payloadLink('[]'), /no setup SQL/],
  ])('reject %j with a clear message', (link, message) => {
    const decoded = decodeShareLink(link);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) {
      expect(decoded.message).toMatch(message);
      expect(decoded.message).toMatch(/^This share link/);
    }
  });

  it('say when a link comes from a newer version', () => {
    const decoded = decodeShareLink(encodeShareLink(state).replace(/^1\./, '7.'));
    expect(decoded).toEqual({ ok: false, message: expect.stringMatching(/newer version.*format 7/) });
  });

  it('refuse links that unpack to huge data', () => {
    const bomb = payloadLink(JSON.stringify({ setup: ' '.repeat(5_000_000), sessions: [] }));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(decodeShareLink(bomb)).toEqual({
      ok: false,
      message: expect.stringMatching(/more than a megabyte/),
    });
  });
});

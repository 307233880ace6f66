import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, plainText } from './markdown';

describe('lesson Markdown', () => {
  it('parses paragraphs and bullet lists', () => {
    expect(parseMarkdown('One\nline.\n\n- a\n- b')).toEqual([
      { kind: 'paragraph', content: [{ kind: 'text', text: 'One line.' }] },
      { kind: 'list', items: [[{ kind: 'text', text: 'a' }], [{ kind: 'text', text: 'b' }]] },
    ]);
  });

  it('parses code, strong, emphasis and https links', () => {
    expect(
      parseInline('A `SELECT *` is **not *always* safe**, see [docs](https://www.postgresql.org/docs/).'),
    ).toEqual([
      { kind: 'text', text: 'A ' },
      { kind: 'code', text: 'SELECT *' },
      { kind: 'text', text: ' is ' },
      {
        kind: 'strong',
        children: [
          { kind: 'text', text: 'not ' },
          { kind: 'em', children: [{ kind: 'text', text: 'always' }] },
          { kind: 'text', text: ' safe' },
        ],
      },
      { kind: 'text', text: ', see ' },
      { kind: 'link', href: 'https://www.postgresql.org/docs/', children: [{ kind: 'text', text: 'docs' }] },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps markup, script and other link schemes as plain text', () => {
    const source = '<img src=x onerror=alert(1)> [x](javascript:alert(1)) <script>alert(1)</script>';
    expect(parseMarkdown(source)).toEqual([{ kind: 'paragraph', content: [{ kind: 'text', text: source }] }]);
  });

  it('does not read code as markup', () => {
    expect(parseInline('`a * b * c`')).toEqual([{ kind: 'code', text: 'a * b * c' }]);
    expect(parseInline('2 * 3 * 4')).toEqual([{ kind: 'text', text: '2 * 3 * 4' }]);
  });

  it('gives the plain text', () => {
    expect(plainText(parseMarkdown('**Lost** `update`\n\n- a'))).toBe('Lost update\n\na');
  });
});

/**
 * The Markdown of lesson narratives: a small, safe subset parsed to a tree the UI renders as React
 * elements (never as HTML), so a narrative cannot inject markup or script.
 *
 * Blocks: paragraphs (separated by a blank line) and bullet lists (`- item`). Inline: `code`,
 * **strong**, *emphasis*, and [links](https://…) to http(s) addresses only. Anything else is text.
 */

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong'; children: Inline[] }
  | { kind: 'em'; children: Inline[] }
  | { kind: 'link'; href: string; children: Inline[] };

export type Block = { kind: 'paragraph'; content: Inline[] } | { kind: 'list'; items: Inline[][] };

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of source.trim().split(/\n\s*\n/)) {
    const lines = chunk.split('\n').map((line) => line.trim());
    if (lines.every((line) => line.startsWith('- '))) {
      blocks.push({ kind: 'list', items: lines.map((line) => parseInline(line.slice(2))) });
    } else if (chunk.trim() !== '') {
      blocks.push({ kind: 'paragraph', content: parseInline(lines.join(' ')) });
    }
  }
  return blocks;
}

const patterns: { kind: 'code' | 'strong' | 'em' | 'link'; regex: RegExp }[] = [
  { kind: 'code', regex: /`([^`]+)`/ },
  { kind: 'strong', regex: /\*\*(.+?)\*\*/ },
  { kind: 'em', regex: /\*([^*\s](?:[^*]*[^*\s])?)\*/ },
  { kind: 'link', regex: /\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/ },
];

export function parseInline(text: string): Inline[] {
  let first: { kind: (typeof patterns)[number]['kind']; match: RegExpExecArray } | null = null;
  for (const { kind, regex } of patterns) {
    const match = regex.exec(text);
    if (match && (first === null || match.index < first.match.index)) first = { kind, match };
  }
  if (first === null) return text === '' ? [] : [{ kind: 'text', text }];
  const { kind, match } = first;
  const before = text.slice(0, match.index);
  const after = text.slice(match.index + match[0].length);
  const inner = match[1] ?? '';
  const node: Inline =
    kind === 'code'
      ? { kind, text: inner }
      : kind === 'link'
        ? { kind, href: match[2] ?? '', children: parseInline(inner) }
        : { kind, children: parseInline(inner) };
  return [...(before === '' ? [] : [{ kind: 'text' as const, text: before }]), node, ...parseInline(after)];
}

/** The plain text of a narrative (for checks and accessible labels). */
export function plainText(blocks: readonly Block[]): string {
  const inline = (nodes: readonly Inline[]): string =>
    nodes.map((node) => ('text' in node ? node.text : inline(node.children))).join('');
  return blocks
    .map((block) => (block.kind === 'paragraph' ? inline(block.content) : block.items.map(inline).join('\n')))
    .join('\n\n');
}

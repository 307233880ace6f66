/** A lesson narrative: the safe Markdown subset of src/lessons/markdown.ts, rendered as React elements. */
import { Fragment, type ReactNode } from 'react';
import { type Inline, parseMarkdown } from '../../lessons';

function inline(nodes: readonly Inline[]): ReactNode {
  return nodes.map((node, index) => {
    switch (node.kind) {
      case 'text':
        return <Fragment key={index}>{node.text}</Fragment>;
      case 'code':
        return <code key={index}>{node.text}</code>;
      case 'strong':
        return <strong key={index}>{inline(node.children)}</strong>;
      case 'em':
        return <em key={index}>{inline(node.children)}</em>;
      case 'link':
        return (
          <a key={index} href={node.href} target="_blank" rel="noopener noreferrer">
            {inline(node.children)}
          </a>
        );
    }
  });
}

export function Markdown({ source, className }: { source: string; className?: string }) {
  return (
    <div className={className ?? 'markdown'}>
      {parseMarkdown(source).map((block, index) =>
        block.kind === 'paragraph' ? (
          <p key={index}>{inline(block.content)}</p>
        ) : (
          <ul key={index}>
            {block.items.map((item, itemIndex) => (
              <li key={itemIndex}>{inline(item)}</li>
            ))}
          </ul>
        ),
      )}
    </div>
  );
}

/** One line of Markdown without the paragraph around it (titles, options). */
export function InlineMarkdown({ source }: { source: string }) {
  const [block] = parseMarkdown(source);
  return <>{block?.kind === 'paragraph' ? inline(block.content) : source}</>;
}

/**
 * The wait-for graph drawn: sessions in a row, an arrow from each waiting session to each session
 * it waits on (above the row when it points right, below when it points left), labelled with what
 * it waits for. The edges of a cycle — a deadlock — are red.
 */
import type { SessionView } from '../../engine/pgEmulator';
import { waitForGraph } from './waitForGraph';
import './Inspectors.css';

const gap = 220;
const margin = 70;
const rowY = 68;
const height = 136;
const radius = 26;

export function WaitForGraphView({ sessions }: { sessions: readonly SessionView[] }) {
  const graph = waitForGraph(sessions);
  if (graph.edges.length === 0) {
    return (
      <p className="inspector-empty">Nobody waits: no session waits for a lock another session holds.</p>
    );
  }
  const x = (name: string) => margin + graph.nodes.indexOf(name) * gap;
  const width = margin * 2 + (graph.nodes.length - 1) * gap;
  return (
    <div className="wait-for">
      <svg
        className="wait-for-graph"
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        role="img"
        aria-label="Wait-for graph"
      >
        <defs>
          {['plain', 'cycle'].map((kind) => (
            <marker
              key={kind}
              id={`arrow-${kind}`}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" className={`wait-arrowhead ${kind}`} />
            </marker>
          ))}
        </defs>
        {graph.edges.map((edge) => {
          const from = x(edge.from);
          const to = x(edge.to);
          const direction = to > from ? -1 : 1; // rightwards above the row, leftwards below
          const inset = to > from ? radius * 0.7 : -radius * 0.7;
          const start = from + inset;
          const end = to - inset;
          const endsY = rowY + direction * radius * 0.7;
          const controlY = rowY + direction * (radius + 40);
          const middle = (start + end) / 2;
          // The curve's middle point is halfway between its ends' height and the control point's.
          const labelY = (endsY + controlY) / 2 + (direction < 0 ? -7 : 17);
          return (
            <g key={`${edge.from}-${edge.to}`} className={edge.inCycle ? 'wait-edge cycle' : 'wait-edge'}>
              <path
                d={`M ${start} ${endsY} Q ${middle} ${controlY} ${end} ${endsY}`}
                markerEnd={`url(#arrow-${edge.inCycle ? 'cycle' : 'plain'})`}
              />
              <text x={middle} y={labelY} textAnchor="middle">
                {edge.label}
              </text>
            </g>
          );
        })}
        {graph.nodes.map((name) => (
          <g key={name} className={graph.cycle.includes(name) ? 'wait-node cycle' : 'wait-node'}>
            <circle cx={x(name)} cy={rowY} r={radius} />
            <text x={x(name)} y={rowY + 7} textAnchor="middle">
              {name}
            </text>
          </g>
        ))}
      </svg>
      <ul className="wait-for-list">
        {graph.edges.map((edge) => (
          <li key={`${edge.from}-${edge.to}`} data-cycle={edge.inCycle || undefined}>
            <strong>{edge.from}</strong> waits for <strong>{edge.to}</strong>: {edge.label}
          </li>
        ))}
        {graph.cycle.length > 0 && (
          <li className="wait-for-cycle">
            Cycle {[...graph.cycle, graph.cycle[0]].join(' → ')}: a deadlock. The first of them whose
            deadlock_timeout runs out finds it and gets the error.
          </li>
        )}
      </ul>
    </div>
  );
}

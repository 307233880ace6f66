/**
 * The engine link, in words: which engine session is the program's connection, which PostgreSQL
 * driver it plays, what the link will deliver at the lesson's deadline step (from the model), and
 * what the engine then showed on that session (from the engine's event log).
 */
import {
  DRIVER_NAMES,
  isPostgresDriver,
  describeServerEffect,
  type DriverName,
} from '../../engine/clientTimeouts';
import type { ClientTimeoutsAttachment } from '../../lessons';
import { driverShortLabel } from './clientProgram';
import type { DeadlineDelivery } from './engineLinkStep';
import type { EngineObservation } from './engineObservations';

export interface EngineLinkBoxProps {
  attachment: ClientTimeoutsAttachment;
  linkedDriver: DriverName;
  onLinkedDriver: (driver: DriverName) => void;
  delivery: DeadlineDelivery | null;
  /** The deadline step has been played. */
  delivered: boolean;
  observations: EngineObservation[];
  /** Engine time of the model's time 0, to show engine times as the program's. */
  originMs: number | null;
}

function engineAction(kind: string, session: string): string {
  switch (kind) {
    case 'cancel-request':
      return `cancel(${session}): the engine’s query cancel`;
    case 'disconnect':
      return `close session ${session}`;
    case 'statement':
      return `run it on session ${session}`;
    case 'connect':
      return 'open a session';
    default:
      return 'nothing (not PostgreSQL)';
  }
}

export function EngineLinkBox(props: EngineLinkBoxProps) {
  const { attachment, delivery, observations, originMs } = props;
  const link = attachment.engineLink;
  const programTime = (engineTime: number) =>
    originMs === null ? `engine t = ${engineTime} ms` : `${engineTime - originMs} ms`;
  return (
    <section className="ct-link" aria-label="Engine link" data-testid="engine-link">
      <header className="ct-link-head">
        <span className="ct-link-title">On the engine</span>
        <span>
          connection <strong>{link.connection}</strong> is session <strong>{link.session}</strong>, played as
        </span>
        <select
          aria-label="Driver played on the engine"
          value={props.linkedDriver}
          onChange={(event) => props.onLinkedDriver(event.currentTarget.value as DriverName)}
        >
          {DRIVER_NAMES.filter(isPostgresDriver).map((driver) => (
            <option key={driver} value={driver}>
              {driverShortLabel(driver)}
            </option>
          ))}
        </select>
      </header>
      {delivery?.kind === 'not-linked' && <p className="ct-muted">{delivery.reason}</p>}
      {(delivery?.kind === 'deliver' || delivery?.kind === 'pending') && !props.delivered && (
        <ol className="ct-link-plan">
          {delivery.effects.length === 0 && <li>The deadline sends nothing: the statement is done first.</li>}
          {delivery.effects.map((effect, index) => (
            <li key={index}>
              <span className="ct-time">{effect.atMs} ms</span> {describeServerEffect(effect)} →{' '}
              {engineAction(effect.kind, link.session)}
            </li>
          ))}
        </ol>
      )}
      {props.delivered && (
        <ol className="ct-link-seen" data-testid="engine-observations">
          {observations
            .filter((observation) => observation.kind !== 'waiting')
            .map((observation, index) => (
              <li key={index} data-kind={observation.kind}>
                <span className="ct-time">{programTime(observation.time)}</span>{' '}
                {observation.sqlstate && <span className="ct-sqlstate">{observation.sqlstate}</span>}{' '}
                {observation.text}
              </li>
            ))}
        </ol>
      )}
      {!props.delivered && (delivery?.kind === 'deliver' || delivery?.kind === 'pending') && (
        <p className="ct-link-hint">
          Step <strong>{link.deadlineStep}</strong> lets the engine’s clock run to each time and delivers it.
        </p>
      )}
    </section>
  );
}

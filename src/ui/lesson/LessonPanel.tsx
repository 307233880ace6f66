/**
 * The lesson beside the sessions: its parts, what the last step did (with the answer to its
 * question), and what the next step will do — with a question to answer before stepping.
 * Everything it says about a step's outcome is the lesson's narrative, which the lessons' tests
 * check against PostgreSQL; the outputs themselves are in the session columns.
 */
import { useEffect, useRef, useState } from 'react';
import type { Lesson, LessonStep } from '../../lessons';
import { formatMilliseconds } from '../format/milliseconds';
import type { ScenarioState } from '../playground/playgroundController';
import type { ScriptStep } from '../playground/scenarioScript';
import { InlineMarkdown, Markdown } from './Markdown';
import './Lesson.css';

export interface LessonPanelProps {
  lesson: Lesson;
  part: number;
  scenario: ScenarioState | null;
  onPart: (part: number) => void;
}

export function LessonPanel({ lesson, part, scenario, onPart }: LessonPanelProps) {
  const notes = lesson.parts[part]?.steps ?? [];
  const done = scenario?.done ?? 0;
  const next = scenario?.next ?? null;
  // The person's answers, per part and step, kept while the page is open.
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const answerKey = (index: number) => `${part}:${index}`;
  const last = done > 0 ? notes[done - 1] : undefined;
  const lastStep = done > 0 ? scenario?.steps[done - 1] : undefined;
  const upcoming = notes[done];
  const upcomingStep = scenario?.steps[done];
  const finished = next?.kind === 'finished';
  // Each step starts reading from the top: what just happened, then what comes next.
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    body.current?.scrollTo({ top: 0 });
  }, [done, part]);

  return (
    <aside className="lesson-panel" aria-label="Lesson">
      <header className="lesson-header">
        <p className="lesson-kicker">Lesson</p>
        <h2>{lesson.title}</h2>
        {lesson.parts.length > 1 && (
          <nav className="lesson-parts" aria-label="Parts of the lesson">
            <button
              type="button"
              onClick={() => onPart(part - 1)}
              disabled={part === 0}
              aria-label="Previous part"
            >
              ◀
            </button>
            <span className="lesson-part-title" data-testid="lesson-part">
              Part {part + 1} of {lesson.parts.length}: {lesson.parts[part]?.title}
            </span>
            <button
              type="button"
              onClick={() => onPart(part + 1)}
              disabled={part + 1 >= lesson.parts.length}
              aria-label="Next part"
            >
              ▶
            </button>
          </nav>
        )}
      </header>
      <div className="lesson-body" aria-live="polite" ref={body}>
        {done === 0 && (
          <Markdown source={lesson.parts[part]?.intro ?? ''} className="markdown lesson-intro" />
        )}
        {last && lastStep && (
          <StepCard
            kind="done"
            number={done}
            step={lastStep}
            note={last}
            answer={answers[answerKey(done - 1)]}
          />
        )}
        {next?.kind === 'let time pass' && (
          <div className="lesson-time" data-testid="lesson-time">
            Session <strong>{next.session}</strong> is still busy, and its next step must wait for it.{' '}
            <em>Step</em> lets virtual time pass to the next timer, at t = {formatMilliseconds(next.until)}.
          </div>
        )}
        {next?.kind === 'stuck' && (
          <div className="lesson-time" role="alert">
            Session <strong>{next.session}</strong> waits and no timer is armed: nothing in the script
            releases it. Use Back, or end the wait from another session.
          </div>
        )}
        {upcoming && upcomingStep && !finished && (
          <StepCard
            kind="next"
            number={done + 1}
            step={upcomingStep}
            note={upcoming}
            answer={answers[answerKey(done)]}
            onAnswer={(option) => setAnswers({ ...answers, [answerKey(done)]: option })}
          />
        )}
        {finished && (
          <div className="lesson-end">
            {lesson.parts[part]?.outro && <Markdown source={lesson.parts[part]?.outro ?? ''} />}
            {part + 1 < lesson.parts.length ? (
              <button type="button" className="primary" onClick={() => onPart(part + 1)}>
                Next: {lesson.parts[part + 1]?.title} ▶
              </button>
            ) : (
              <p className="lesson-done">
                End of the lesson. Back steps through it again; change the SQL and run it yourself.
              </p>
            )}
          </div>
        )}
      </div>
    </aside>
  );
}

interface StepCardProps {
  kind: 'done' | 'next';
  number: number;
  step: ScriptStep;
  note: LessonStep;
  answer: number | undefined;
  onAnswer?: (option: number) => void;
}

function StepCard({ kind, number, step, note, answer, onAnswer }: StepCardProps) {
  const { predict } = note;
  return (
    <section
      className="lesson-step"
      data-kind={kind}
      aria-label={`${kind === 'next' ? 'Next step' : 'Last step'}`}
    >
      <p className="lesson-step-title">
        <span className="lesson-step-label">{kind === 'next' ? 'Next' : 'Done'}</span> Step {number} · session{' '}
        <strong>{step.session}</strong>
        {kind === 'done' && <span className="lesson-step-name"> · {step.name}</span>}
      </p>
      {kind === 'next' && <pre className="lesson-step-sql">{step.sql}</pre>}
      {kind === 'next' && note.before && <Markdown source={note.before} />}
      {predict && kind === 'next' && (
        <div className="prediction" role="group" aria-label="Predict">
          <p className="prediction-question">
            <span className="prediction-label">Predict</span> <InlineMarkdown source={predict.question} />
          </p>
          <div className="prediction-options">
            {predict.options.map((option, index) => (
              <button
                key={index}
                type="button"
                aria-pressed={answer === index}
                onClick={() => onAnswer?.(index)}
              >
                <InlineMarkdown source={option} />
              </button>
            ))}
          </div>
        </div>
      )}
      {predict && kind === 'done' && (
        <p
          className="prediction-reveal"
          data-right={answer === undefined ? undefined : answer === predict.answer}
        >
          <span className="prediction-label">Answer</span>{' '}
          <InlineMarkdown source={predict.options[predict.answer] ?? ''} />
          {answer !== undefined &&
            (answer === predict.answer ? ' — as you predicted.' : ' — not what you predicted.')}
        </p>
      )}
      {kind === 'done' && note.after && <Markdown source={note.after} />}
    </section>
  );
}

/**
 * What the page's address asks for: `?lesson=ID` opens a lesson (`&part=N`, 1-based, one of its
 * parts), `?runaway=SECONDS` sets the runaway-query guard's limit.
 */
import { findLesson, type Lesson } from '../../lessons';

export type PageMode =
  | { kind: 'free play' }
  | { kind: 'lesson'; lesson: Lesson; part: number }
  | { kind: 'unknown lesson'; id: string };

export function pageMode(search: string): PageMode {
  const params = new URLSearchParams(search);
  const id = params.get('lesson');
  if (id === null || id === '') return { kind: 'free play' };
  const lesson = findLesson(id);
  if (!lesson) return { kind: 'unknown lesson', id };
  const part = Number(params.get('part') ?? '1');
  const index = Number.isInteger(part) && part >= 1 && part <= lesson.parts.length ? part - 1 : 0;
  return { kind: 'lesson', lesson, part: index };
}

/** The address for a mode, keeping the other parameters (and dropping a share link's fragment). */
export function searchFor(mode: PageMode, search: string): string {
  const params = new URLSearchParams(search);
  params.delete('lesson');
  params.delete('part');
  if (mode.kind === 'lesson') {
    params.set('lesson', mode.lesson.id);
    if (mode.part > 0) params.set('part', String(mode.part + 1));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export const defaultRunawayLimitMs = 5_000;

/** `?runaway=3` → 3000 ms; at least 0.5 s, at most 10 minutes. */
export function runawayLimitMs(search: string): number {
  const seconds = Number(new URLSearchParams(search).get('runaway'));
  return Number.isFinite(seconds) && seconds > 0
    ? Math.round(Math.min(Math.max(seconds, 0.5), 600) * 1000)
    : defaultRunawayLimitMs;
}

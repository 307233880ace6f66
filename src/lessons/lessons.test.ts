/**
 * The lesson index, checked: stable URL-safe ids, specs the tester accepts, one part per
 * permutation with one note per step (named like the step it describes), predictions with a valid
 * answer, narratives in the safe Markdown subset.
 */
import { describe, expect, it } from 'vitest';
import { specPermutations, loadSpec } from '../engine/harness';
import { clientTimeoutsProblems } from './clientTimeoutsChecks';
import { findLesson, lessons, lessonScenarios } from './index';
import { parseMarkdown, plainText } from './markdown';

describe('the lessons', () => {
  it('include the four of the first release, with unique, URL-safe ids', () => {
    const ids = lessons.map((lesson) => lesson.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'rc-vs-rr',
        'lost-update',
        'for-update-deadlock',
        'prepared-statement-staleness',
      ]),
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(findLesson('lost-update')?.title).toBe('Lost updates');
    expect(findLesson('nope')).toBeNull();
  });

  it.each(lessons.map((lesson) => [lesson.id, lesson] as const))(
    '%s: its spec parses, with one part per permutation and one note per step',
    (_id, lesson) => {
      const resolved = loadSpec(lesson.spec);
      expect(resolved.warnings).toEqual([]);
      const permutations = [...specPermutations(resolved)];
      expect(lesson.parts.map((part) => part.steps.map((step) => step.step))).toEqual(
        permutations.map((permutation) => permutation.map((step) => step.name)),
      );
    },
  );

  it.each(lessons.map((lesson) => [lesson.id, lesson] as const))(
    '%s: predictions have options and a valid answer; narratives are plain safe Markdown',
    (_id, lesson) => {
      const texts = [lesson.summary];
      for (const part of lesson.parts) {
        texts.push(part.intro, part.outro ?? '');
        for (const step of part.steps) {
          texts.push(step.before ?? '', step.after ?? '');
          if (step.predict) {
            expect(step.predict.options.length).toBeGreaterThanOrEqual(2);
            expect(step.predict.options[step.predict.answer]).toBeDefined();
            texts.push(step.predict.question, ...step.predict.options);
            // The answer is revealed after the step: a prediction needs something to reveal it with.
            expect(step.after ?? '').not.toBe('');
          }
        }
      }
      for (const text of texts) {
        expect(text).not.toMatch(/<[a-z/!]/i);
        expect(plainText(parseMarkdown(text))).not.toMatch(/\*\*|`|\]\(/);
      }
    },
  );

  it.each(lessons.flatMap((lesson) => (lesson.clientTimeouts ? [[lesson.id, lesson] as const] : [])))(
    '%s: its timeout-simulator attachment fits its spec and the model',
    (_id, lesson) => {
      expect(clientTimeoutsProblems(lesson)).toEqual([]);
    },
  );

  it('include client-timeout-phases, with a simulator attachment linked to session go', () => {
    expect(findLesson('client-timeout-phases')?.clientTimeouts?.engineLink.session).toBe('go');
  });

  it('are what the conformance harness runs', () => {
    expect(lessonScenarios()).toEqual(lessons.map((lesson) => ({ name: lesson.id, spec: lesson.spec })));
  });
});

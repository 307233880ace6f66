/** The lessons, each a link that opens it (`?lesson=ID`). */
import { lessons } from '../../lessons';
import { InlineMarkdown } from './Markdown';
import './Lesson.css';

export function LessonList({ onOpen }: { onOpen: (id: string) => void }) {
  return (
    <ul className="lesson-list">
      {lessons.map((lesson) => (
        <li key={lesson.id}>
          <a
            href={`?lesson=${lesson.id}`}
            onClick={(event) => {
              event.preventDefault();
              onOpen(lesson.id);
            }}
          >
            {lesson.title}
          </a>
          <span className="lesson-id">{lesson.id}</span>
          <p>
            <InlineMarkdown source={lesson.summary} />
          </p>
        </li>
      ))}
    </ul>
  );
}

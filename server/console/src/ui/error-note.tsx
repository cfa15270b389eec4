import { serverProblems } from './graphql-errors.js';

/** Props of {@link ErrorNote}. */
export interface ErrorNoteProps {
  /** An Apollo error, or anything thrown; nothing is drawn without one. */
  error?: unknown;
  /** Problems already taken apart (problemsByField's `general`). */
  problems?: { message: string; code: string | null }[];
  /** What was being done, such as "Could not grant the override". */
  title?: string;
}

/**
 * The server's error, in its own words and with its code, where it happened (not a toast that
 * vanishes with the reason). role="alert" so a screen reader says it when it appears.
 */
export function ErrorNote({ error, problems, title }: ErrorNoteProps) {
  const list = problems ?? serverProblems(error);
  if (!list.length) return null;
  return (
    <div className="tg-error-note" role="alert">
      {title ? <p className="tg-error-note__title">{title}</p> : null}
      <ul>
        {list.map((problem, index) => (
          <li key={index}>
            {problem.message}
            {problem.code && problem.code !== 'NETWORK' ? <code className="tg-error-note__code">{problem.code}</code> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

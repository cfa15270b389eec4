import { useEffect } from 'react';

/** Names the browser tab after the page ("Acme · Access · Tollgate"), which screen readers announce on navigation. */
export function useDocumentTitle(...parts: (string | null | undefined)[]): void {
  const title = [...parts.filter(Boolean), 'Tollgate'].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}

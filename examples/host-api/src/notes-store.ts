import { randomUUID } from 'node:crypto';

/** A note of the example product. */
export interface Note {
  id: string;
  title: string;
  createdAt: string;
}

/** The example's storage: notes in memory, by account. A real product has its own database. */
export class NotesStore {
  private readonly notes = new Map<string, Note[]>();

  list(accountId: string): Note[] {
    return this.notes.get(accountId) ?? [];
  }

  add(accountId: string, title: string): Note {
    const note = { id: randomUUID(), title, createdAt: new Date().toISOString() };
    this.notes.set(accountId, [...this.list(accountId), note]);
    return note;
  }

  remove(accountId: string, id: string): boolean {
    const before = this.list(accountId);
    const after = before.filter((note) => note.id !== id);
    this.notes.set(accountId, after);
    return after.length < before.length;
  }
}

/** The notes as CSV, the export that the `export_csv` feature unlocks. */
export function notesCsv(notes: Note[]): string {
  const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;
  return ['id,title,createdAt', ...notes.map((note) => [note.id, quote(note.title), note.createdAt].join(','))].join('\n');
}

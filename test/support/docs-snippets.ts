import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The docs' snippets, as test/integration/docs-snippets.test.ts runs them. The convention, which
 * docs/development.md ("Tested docs") states for writers:
 *
 * - a fenced block's info string says what it is; a block without one fails the run;
 * - `sh` blocks run, in order, one bash per file, against a server started on a fresh database;
 *   the comment lines right under a command (no blank line between) are its answer, compared with
 *   what it printed;
 * - `sh no-run` blocks are shown, not run (they install, start a second program, need Stripe);
 * - `ts`, `tsx` are type-checked under `strict`; `ts fragment` and `tsx fragment` (code that uses
 *   names its surrounding text defines) are checked for syntax only;
 * - `graphql` is validated against schema.graphql, `json` parsed, and `text`, `yaml`, `mermaid`
 *   are shown as they are.
 */
export type SnippetKind = 'run' | 'no-run' | 'typecheck' | 'syntax' | 'graphql' | 'json' | 'shown';

/** Info strings and what the runner does with them. */
const KINDS: Record<string, SnippetKind> = {
  sh: 'run',
  'sh no-run': 'no-run',
  ts: 'typecheck',
  tsx: 'typecheck',
  'ts fragment': 'syntax',
  'tsx fragment': 'syntax',
  graphql: 'graphql',
  json: 'json',
  text: 'shown',
  yaml: 'shown',
  mermaid: 'shown',
};

/** One fenced block of a Markdown file. */
export interface Snippet {
  /** The file, relative to the repository root. */
  file: string;
  /** The line of the opening fence, 1-based. */
  line: number;
  info: string;
  /** What the runner does with it; null when the info string is not one it knows. */
  kind: SnippetKind | null;
  /** The block's text, without the fences and without the list indentation it sits in. */
  code: string;
}

/** README.md and every Markdown file of docs/: the files whose snippets are run. */
export function documentationFiles(root = process.cwd()): string[] {
  return ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)];
}

/** Every fenced block of a Markdown text, in order. */
export function snippetsOf(file: string, text: string): Snippet[] {
  const lines = text.split('\n');
  const snippets: Snippet[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)```(.*)$/.exec(lines[index]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const info = open[2]!.trim();
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) body.push(lines[end++]!.slice(indent));
    if (end === lines.length) throw new Error(`${file}:${index + 1}: a fenced block that never closes`);
    snippets.push({ file, line: index + 1, info, kind: KINDS[info] ?? null, code: body.join('\n') });
    index = end;
  }
  return snippets;
}

/** The snippets of a file on disk. */
export function snippetsOfFile(file: string, root = process.cwd()): Snippet[] {
  return snippetsOf(file, readFileSync(join(root, file), 'utf8'));
}

/** A command of an `sh` block and the answer printed under it. */
export interface Command {
  /** The line in the Markdown file where the command starts. */
  line: number;
  text: string;
  /** The answer's lines, `# ` removed and continuation lines (`#   …`) joined; empty: not compared. */
  answer: string[];
}

/**
 * Splits an `sh` block into commands. A command is a run of lines that are not comments; the
 * comment lines right under it form its answer (a line whose `#` is followed by three or more
 * spaces continues the answer line above it). Comments above a command, or after a blank line,
 * are prose.
 */
export function commandsOf(snippet: Snippet): Command[] {
  const lines = snippet.code.split('\n');
  const commands: Command[] = [];
  let current: Command | null = null;
  let inAnswer = false;
  lines.forEach((line, offset) => {
    const comment = /^\s*#/.test(line);
    if (line.trim() === '') {
      current = null;
      inAnswer = false;
    } else if (!comment) {
      if (current && !inAnswer) {
        current.text += `\n${line}`;
      } else {
        current = { line: snippet.line + 1 + offset, text: line, answer: [] };
        commands.push(current);
        inAnswer = false;
      }
    } else if (current) {
      inAnswer = true;
      const continued = /^\s*#\s{3,}(.*)$/.exec(line);
      if (continued && current.answer.length > 0) current.answer[current.answer.length - 1] += ` ${continued[1]}`;
      else current.answer.push(line.replace(/^\s*#\s?/, ''));
    }
  });
  return commands;
}

const ISO_INSTANT = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?Z/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * A pattern for one answer line: whitespace is ignored on both sides (answers are wrapped to fit
 * the page), `…` stands for anything, and what differs from run to run matches by its shape: ISO
 * instants, UUIDs (whole, or shortened as `9d0b5fe9-…`), API keys shortened as `tg_server_06Ox…`,
 * and cursors (`"endCursor":"…"`).
 */
export function answerPattern(expected: string): RegExp {
  const squeezed = expected.replace(/\s+/g, '');
  const placeholders: string[] = [];
  const hold = (pattern: string) => `\u0000${placeholders.push(pattern) - 1}\u0000`;
  const marked = squeezed
    .replace(/("(?:endCursor|cursor)":)"[^"]*"/g, (_, key: string) => `${key}${hold('"[A-Za-z0-9+/=_-]+"')}`)
    .replace(ISO_INSTANT, () => hold('\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,3})?Z'))
    .replace(UUID, () => hold('[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'))
    // A shortened id (`9d0b5fe9-…`) or key (`tg_server_06Ox…`): its printed start differs too.
    .replace(/\b[0-9a-f]{8}-…/g, () => hold('[0-9a-f]{8}-[0-9a-f-]{27}'))
    .replace(/\b(tg_(?:admin|server)_)[A-Za-z0-9_-]*…/g, (_, kind: string) => `${kind}${hold('[A-Za-z0-9_-]*…?')}`)
    .replace(/…/g, () => hold('.*?'));
  const source = marked
    .split(/(\u0000\d+\u0000)/)
    .map((part) => {
      const held = /^\u0000(\d+)\u0000$/.exec(part);
      return held ? placeholders[Number(held[1])]! : part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`, 's');
}

/**
 * Compares a command's printed answer with what it really printed: every answer line must match
 * a line of the output (whitespace ignored, see {@link answerPattern}), in order; other output
 * lines (HTTP headers not shown, blank lines) may come between. Returns null when they agree,
 * else what did not match.
 */
export function compareAnswer(expected: string[], output: string): string | null {
  const lines = output.split('\n').map((line) => line.replace(/\s+/g, '')).filter((line) => line !== '');
  let from = 0;
  for (const line of expected) {
    const pattern = answerPattern(line);
    const found = lines.findIndex((candidate, index) => index >= from && pattern.test(candidate));
    if (found === -1) return `no line of the output matches the answer line\n    ${line}`;
    from = found + 1;
  }
  return null;
}

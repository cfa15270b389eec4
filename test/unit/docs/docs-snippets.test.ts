import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandsOf, compareAnswer, snippetsOf } from '../../support/docs-snippets.js';

/** The docs runner's reading of Markdown and its comparison of answers (test/support/docs-snippets.ts). */
describe('the docs runner', () => {
  it('reads blocks with their info string, line and list indentation, and knows none without one', () => {
    const text = ['# Page', '', '```sh', 'echo hi', '```', '', '1. A step:', '   ```ts fragment', '   const x = 1;', '   ```', '', '```', 'output', '```'].join('\n');
    const [shell, fragment, bare] = snippetsOf('docs/page.md', text);
    expect(shell).toMatchObject({ line: 3, info: 'sh', kind: 'run', code: 'echo hi' });
    expect(fragment).toMatchObject({ line: 8, info: 'ts fragment', kind: 'syntax', code: 'const x = 1;' });
    expect(bare).toMatchObject({ line: 12, info: '', kind: null });
    expect(() => snippetsOf('docs/page.md', '```sh\necho never closed')).toThrow('docs/page.md:1: a fenced block that never closes');
  });

  it('splits a shell block into commands, their answers (continuations joined) and prose', () => {
    const [block] = snippetsOf('README.md', [
      '```sh',
      '# prose above a command',
      "gql $ADMIN 'query {",
      "  features { key } }'",
      '# {"data":{"features":[',
      '#   {"key":"seats"}]}}',
      '',
      '# prose after a blank line',
      'curl -si localhost:4000/healthz',
      '# HTTP/1.1 200 OK',
      'echo next',
      '```',
    ].join('\n'));
    expect(commandsOf(block!)).toEqual([
      { line: 3, text: "gql $ADMIN 'query {\n  features { key } }'", answer: ['{"data":{"features":[ {"key":"seats"}]}}'] },
      { line: 9, text: 'curl -si localhost:4000/healthz', answer: ['HTTP/1.1 200 OK'] },
      { line: 11, text: 'echo next', answer: [] },
    ]);
  });

  it('matches what differs from run to run by its shape, and nothing else', () => {
    const printed = '{"data":{"grantOverride":{"id":"75cb5edc-88da-4b46-815f-4eb857a989b2","endsAt":"2030-01-01T00:00:00.000Z","key":"tg_server_dbZblSYDmmhfA2GG","cursor":"YXVkaXQ6MzQ"}}}';
    expect(compareAnswer(['{"data":{"grantOverride":{"id":"34978daa-…","endsAt":"2029-12-31T23:59:59.999Z","key":"tg_server_5Kd-…","cursor":"YWJj"}}}'], printed)).toBeNull();
    expect(compareAnswer(['{"data":{"grantOverride":{"id":"…","endsAt":"2030-01-01","key":"…","cursor":"…"}}}'], printed)).toMatch(/no line of the output matches/);
    expect(compareAnswer(['HTTP/1.1 401 Unauthorized', '{"errors":[]}'], 'HTTP/1.1 401 Unauthorized\r\nvary: Origin\r\n\r\n{"errors":[]}')).toBeNull();
    expect(compareAnswer(['{"errors":[]}', 'HTTP/1.1 401 Unauthorized'], 'HTTP/1.1 401 Unauthorized\r\n\r\n{"errors":[]}'), 'answer lines are matched in order').not.toBeNull();
  });

  /**
   * Property: for any JSON answer, the answer as printed (however it is wrapped) matches itself,
   * and an answer with one value changed does not: the runner cannot pass a drifted doc.
   */
  it('accepts any printed JSON as its own answer and refuses it with one value changed', () => {
    const scalar = fc.oneof(fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '0', '7', ' ', '"', '\\', '.', '(', '*', '$') }), fc.integer(), fc.boolean(), fc.constant(null));
    const answer = fc.dictionary(fc.constantFrom('allowed', 'reason', 'limit', 'used', 'plan'), scalar, { minKeys: 1 });
    fc.assert(fc.property(answer, fc.nat(), fc.integer({ min: 1, max: 40 }), (value, pick, width) => {
      const printed = JSON.stringify({ data: { entitlement: value } });
      const wrapped = printed.match(new RegExp(`.{1,${width}}`, 'gs'))!.join('\n  ');
      const [block] = snippetsOf('x.md', `\`\`\`sh\nrun\n# ${wrapped.split('\n').join('\n# ')}\n\`\`\``);
      const answer = commandsOf(block!)[0]!.answer;
      expect(compareAnswer(answer, printed)).toBeNull();

      const keys = Object.keys(value);
      const key = keys[pick % keys.length]!;
      const changed = { ...value, [key]: value[key] === 1 ? 2 : 1 };
      expect(compareAnswer([JSON.stringify({ data: { entitlement: changed } })], printed)).not.toBeNull();
    }));
  });
});

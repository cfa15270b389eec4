import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { auditCsv, csvCell, type AuditCsvEntry } from '../../../server/console/src/audit/audit-csv.js';

/**
 * The audit export opened by finance in a spreadsheet: every cell comes back as written (commas,
 * quotes, line breaks inside), and nothing an actor, a reason or an account id holds runs as a
 * formula. Checked by reading the file back with csv-parse (a well-kept RFC 4180 reader), not by
 * comparing with the writer's own output.
 */

/** RFC 4180 read back by csv-parse, not by the writer's own code. */
const readCsv = (text: string): string[][] => parse(text, { relax_quotes: false });

const entry = (changes: Partial<AuditCsvEntry>): AuditCsvEntry => ({
  at: '2026-12-07T06:00:00.000Z', actor: 'olga@tollgate.test', actorKind: 'OPERATOR', action: 'override.grant',
  accountId: 'acme', entityType: 'Override', entityId: 'o1', reason: null, before: null, after: null, ...changes,
});

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['said "yes"', '"said ""yes"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r\nlf', '"cr\r\nlf"'],
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1 555', "'+1 555"],
    ['-12', "'-12"],
    ['@admin', "'@admin"],
    ['\tindented', "'\tindented"],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    [' padded ', '" padded "'],
    ['', ''],
  ])('writes %j as %j', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('writes null as an empty cell and an object as JSON', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell({ limit: 10, features: ['a', 'b'] })).toBe('"{""limit"":10,""features"":[""a"",""b""]}"');
  });
});

describe('auditCsv', () => {
  it('reads back cell for cell, with one header and one line per entry, formulas guarded', () => {
    const entries = [
      entry({ reason: 'Onboarding, week 1: "the whole team"\nthen review' }),
      entry({ actor: '=cmd|" /C calc"!A0', accountId: '+acme', reason: '@risk', before: { limit: 3 }, after: { limit: 10 } }),
      entry({ accountId: null, entityId: null, reason: '-5 seats' }),
    ];
    const rows = readCsv(auditCsv(entries));
    expect(rows[0]).toEqual(['at', 'actor', 'actorKind', 'action', 'accountId', 'entityType', 'entityId', 'reason', 'before', 'after']);
    expect(rows).toHaveLength(4);
    expect(rows[1]![7]).toBe('Onboarding, week 1: "the whole team"\nthen review');
    expect(rows[2]!.slice(1, 2)).toEqual(['\'=cmd|" /C calc"!A0']);
    expect(rows[2]![4]).toBe("'+acme");
    expect(rows[2]![7]).toBe("'@risk");
    expect(JSON.parse(rows[2]![8]!)).toEqual({ limit: 3 });
    expect(JSON.parse(rows[2]![9]!)).toEqual({ limit: 10 });
    expect(rows[3]![4]).toBe('');
    expect(rows[3]![7]).toBe("'-5 seats");
    // No cell a spreadsheet would evaluate.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('writes only the header for no entries', () => {
    expect(auditCsv([])).toBe('at,actor,actorKind,action,accountId,entityType,entityId,reason,before,after\r\n');
  });
});

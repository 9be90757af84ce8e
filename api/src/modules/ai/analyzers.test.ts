/** The pure parts of AI review: parsing the model's answer, the prompt template, and joining risks. */
import { describe, expect, it } from 'vitest';
import { analyzeWithRules } from '../risk/rule-analyzer.ts';
import { failClosed, withAiVerdict } from './ai-risk.ts';
import { parseAnswer } from './analyzers.ts';
import { renderPrompt, templateProblem } from './prompt.ts';

describe('parseAnswer', () => {
  it('accepts the JSON asked for, bare or in one fence, and names issues AI_<TYPE>', () => {
    const text = '{"score": 60, "level": "HIGH", "issues": [{"type": "missing index", "severity": "WARNING", "message": "Full scan", "suggestion": null}]}';
    const expected = { score: 60, level: 'HIGH', issues: [{ code: 'AI_MISSING_INDEX', severity: 'WARNING', message: 'Full scan', suggestion: null }] };
    expect(parseAnswer(text)).toEqual(expected);
    expect(parseAnswer('```json\n' + text + '\n```')).toEqual(expected);
  });

  it('raises a level below what its own score means', () => {
    expect(parseAnswer('{"score": 90, "level": "LOW", "issues": []}')).toMatchObject({ level: 'CRITICAL' });
  });

  it('refuses anything else, saying why', () => {
    expect(parseAnswer('Looks fine.')).toBe('the model did not answer with JSON');
    expect(parseAnswer('{"score": 101, "level": "LOW", "issues": []}')).toMatch(/wrong shape \(score:/);
    expect(parseAnswer('{"score": 10, "level": "SAFE", "issues": []}')).toMatch(/wrong shape \(level:/);
    expect(parseAnswer('{"score": 10, "level": "LOW", "issues": [{"type": "x", "severity": "HIGH", "message": "m"}]}')).toMatch(/wrong shape \(issues\.0\.severity:/);
    expect(parseAnswer('[]')).toMatch(/wrong shape/);
  });
});

describe('prompt templates', () => {
  it('needs {{sql}} and knows only its four placeholders', () => {
    expect(templateProblem('{{sql}}')).toBeNull();
    expect(templateProblem('{{ sql }} {{schema_context}} {{db_type}} {{language}}')).toBeNull();
    expect(templateProblem('no statement here')).toBe('must contain {{sql}}');
    expect(templateProblem('{{sql}} {{password}}')).toMatch(/unknown placeholder \{\{password\}\}/);
  });

  it('replaces each placeholder once: a statement containing a placeholder stays as written, fenced by a token', () => {
    const prompt = renderPrompt('A {{db_type}}: {{sql}} ({{schema_context}})', { sql: "select '{{schema_context}}'", dbType: 'POSTGRESQL', schemaContext: ['public.t(a, b)'], language: 'English' });
    expect(prompt).toMatch(/^A POSTGRESQL: BEGIN_SQL_([0-9a-f]{16})\nselect '\{\{schema_context\}\}'\nEND_SQL_\1 \(public\.t\(a, b\)\)$/);
    const again = renderPrompt('{{sql}}', { sql: 'select 1', dbType: 'POSTGRESQL', schemaContext: [], language: 'English' });
    expect(again.split('\n')[0]).not.toBe(prompt.split(': ')[1]!.split('\n')[0]);
  });
});

describe('joining the rules and the model', () => {
  const rules = analyzeWithRules(
    { type: 'SELECT', readOnly: true, hasWhere: true, hasLimit: false, transactional: false, tables: [{ schema: null, name: 't' }], statements: [{ type: 'SELECT', text: 'select a from t where id = 1', hasWhere: true, hasLimit: false }] },
    { sql: 'select a from t where id = 1', classifiedTables: new Map(), classifiedColumns: new Set(), restrictedColumnsTouched: [] },
  );

  it('takes the higher score and the stronger level, and keeps both sets of issues', () => {
    const joined = withAiVerdict(rules, { ok: true, score: 55, level: 'HIGH', model: 'm', issues: [{ code: 'AI_X', severity: 'WARNING', message: 'x', suggestion: null }] });
    expect(joined).toMatchObject({ score: Math.max(rules.score, 55), level: 'HIGH' });
    expect(joined.issues.map((i) => i.code)).toContain('AI_X');
    const lower = withAiVerdict({ ...rules, score: 85, level: 'CRITICAL' }, { ok: true, score: 5, level: 'LOW', model: 'm', issues: [] });
    expect(lower).toMatchObject({ score: 85, level: 'CRITICAL' });
  });

  it('fails closed: an unavailable review adds the issue and turns an approval into a human review, nothing else', () => {
    const failed = { ok: false as const, reason: 'HTTP 500: boom', model: 'm' };
    expect(withAiVerdict(rules, failed).issues.at(-1)).toMatchObject({ code: 'AI_REVIEW_UNAVAILABLE', message: 'AI review unavailable: HTTP 500: boom' });
    expect(failClosed({ status: 'APPROVED', reason: 'read', policy: null }, failed)).toMatchObject({ status: 'PENDING_REVIEW' });
    expect(failClosed({ status: 'REJECTED', reason: 'policy', policy: { id: 'p' } }, failed)).toMatchObject({ status: 'REJECTED', policy: { id: 'p' } });
    expect(failClosed({ status: 'APPROVED', reason: 'read', policy: null }, { ok: true, score: 0, level: 'LOW', model: 'm', issues: [] })).toMatchObject({ status: 'APPROVED' });
  });
});

/**
 * Which audit events are announced and what the announcement says. Messages carry no result rows, no secrets,
 * no reviewer comments or error texts (either may quote data), and the statement only shortened, with its
 * string literals replaced by '?'.
 */
export const NOTIFICATION_EVENTS = [
  'REVIEW_REQUESTED',
  'APPROVED',
  'REJECTED',
  'CHANGES_REQUESTED',
  'EXECUTED',
  'FAILED',
  'TIMED_OUT',
  'BREAK_GLASS_USED',
  'ACCESS_REQUESTED',
  'ACCESS_DECIDED',
  'TEST',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export interface NotificationMessage {
  event: NotificationEvent;
  title: string;
  text: string;
  /** The console page of the request; null for a test message. */
  link: string | null;
  targetType: string | null;
  targetId: string | null;
  occurredAt: string;
  details: Record<string, string | number>;
}

/** The audit fields an announcement is derived from. */
export interface AuditFacts {
  action: string;
  metadata: Record<string, unknown>;
}

/**
 * The event an audit row announces, or null. Approvals are announced when a reviewer decided (not when a
 * routing policy or the plan auto-approved); runs and failures only of requests that a reviewer decided
 * (an auto-approved read runs unannounced); a break-glass run always.
 */
export function eventOf({ action, metadata }: AuditFacts, reviewed: () => Promise<boolean>): Promise<NotificationEvent | null> | NotificationEvent | null {
  const decidedBy = (metadata['decision'] as { decidedBy?: unknown } | undefined)?.decidedBy;
  switch (action) {
    case 'QUERY_REVIEW_REQUIRED':
      return 'REVIEW_REQUESTED';
    case 'QUERY_APPROVED':
      return decidedBy === 'REVIEWER' ? 'APPROVED' : null;
    case 'QUERY_REJECTED':
      return 'REJECTED';
    case 'QUERY_DECISION':
      return metadata['decision'] === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : null;
    case 'QUERY_EXECUTED':
      return reviewed().then((yes) => (yes ? 'EXECUTED' : null));
    case 'QUERY_FAILED':
      return reviewed().then((yes) => (yes ? 'FAILED' : null));
    case 'QUERY_TIMED_OUT':
      return 'TIMED_OUT';
    case 'QUERY_BREAK_GLASS_EXECUTED':
      return 'BREAK_GLASS_USED';
    case 'ACCESS_REQUESTED':
      return 'ACCESS_REQUESTED';
    case 'ACCESS_DECISION':
      return metadata['status'] === 'APPROVED' || metadata['status'] === 'REJECTED' ? 'ACCESS_DECIDED' : null;
    default:
      return null;
  }
}

const TITLES: Record<NotificationEvent, string> = {
  REVIEW_REQUESTED: 'Query waiting for review',
  APPROVED: 'Query approved',
  REJECTED: 'Query rejected',
  CHANGES_REQUESTED: 'Changes requested on a query',
  EXECUTED: 'Query executed',
  FAILED: 'Query failed',
  TIMED_OUT: 'Query review timed out',
  BREAK_GLASS_USED: 'BREAK-GLASS query executed',
  ACCESS_REQUESTED: 'Access requested',
  ACCESS_DECIDED: 'Access request decided',
  TEST: 'Test notification',
};

export interface QueryFacts {
  id: string;
  datasource: string;
  submittedBy: string;
  queryType: string;
  riskLevel: string | null;
  sqlText: string;
  status: string;
}

export interface AccessFacts {
  id: string;
  datasource: string;
  requestedBy: string;
  durationMinutes: number;
  status: string;
}

export function queryMessage(event: NotificationEvent, facts: QueryFacts, occurredAt: Date, publicUrl: string): NotificationMessage {
  const verb: Partial<Record<NotificationEvent, string>> = {
    REVIEW_REQUESTED: 'submitted a query that waits for review',
    BREAK_GLASS_USED: 'ran a query with break-glass, outside review; it waits for a retro-review',
  };
  return {
    event,
    title: TITLES[event],
    text: `${facts.submittedBy} ${verb[event] ?? `submitted a query, now ${facts.status}`} on ${facts.datasource}.`,
    link: `${publicUrl}/queries/${facts.id}`,
    targetType: 'QueryRequest',
    targetId: facts.id,
    occurredAt: occurredAt.toISOString(),
    details: {
      datasource: facts.datasource,
      submittedBy: facts.submittedBy,
      type: facts.queryType,
      ...(facts.riskLevel ? { risk: facts.riskLevel } : {}),
      status: facts.status,
      statement: shortStatement(facts.sqlText),
    },
  };
}

export function accessMessage(event: NotificationEvent, facts: AccessFacts, occurredAt: Date, publicUrl: string): NotificationMessage {
  return {
    event,
    title: TITLES[event],
    text: event === 'ACCESS_REQUESTED' ? `${facts.requestedBy} asks for ${facts.durationMinutes} minutes of access to ${facts.datasource}.` : `${facts.requestedBy}'s access request to ${facts.datasource} is ${facts.status}.`,
    link: `${publicUrl}/access`,
    targetType: 'AccessRequest',
    targetId: facts.id,
    occurredAt: occurredAt.toISOString(),
    details: { datasource: facts.datasource, requestedBy: facts.requestedBy, durationMinutes: facts.durationMinutes, status: facts.status },
  };
}

export function testMessage(channelName: string, now: Date): NotificationMessage {
  return {
    event: 'TEST',
    title: TITLES.TEST,
    text: `AccessFlow can reach the notification channel "${channelName}".`,
    link: null,
    targetType: null,
    targetId: null,
    occurredAt: now.toISOString(),
    details: {},
  };
}

const STATEMENT_CHARS = 200;

/** One line, literals (strings, numbers) as '?' and comments dropped, at most 200 characters. */
export function shortStatement(sql: string): string {
  // One pass, left to right, so a quote inside a comment or a comment marker inside a string is read as the
  // server would read it; backslash escapes (MySQL) count inside quotes, so an escaped quote never ends one early.
  const masked = sql
    .replace(/\$([A-Za-z_]*)\$[\s\S]*?\$\1\$|'(?:[^'\\]|\\[\s\S]|'')*'?|"(?:[^"\\]|\\[\s\S]|"")*"?|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/g, (token) =>
      token.startsWith('"') ? '"?"' : token.startsWith('--') || token.startsWith('/*') ? ' ' : "'?'",
    )
    .replace(/\b\d[\d._]*(?:e[+-]?\d+)?\b/gi, '?')
    .replace(/\s+/g, ' ')
    .trim();
  return masked.length <= STATEMENT_CHARS ? masked : `${masked.slice(0, STATEMENT_CHARS - 1)}…`;
}

/**
 * The cost limit for pages sized by variables. graphql-armor's cost rule runs at validation, before variables are
 * known, so it multiplies a list's cost by `first:`/`last:` only when written as a literal: `first: $n` counted
 * as one item. Before execution, this plugin writes each such variable's value into a copy of the document (the
 * largest page when it is absent or null) and runs the same cost rule again.
 */
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { Kind, validate, visit, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { PAGE_SIZE } from './helpers.ts';

const PAGE_ARGUMENTS = new Set(['first', 'last']);

/** Per document: yoga's parser cache hands the same DocumentNode to every request with the same text. */
const sizedByVariable = new WeakMap<DocumentNode, boolean>();

function sizesPagesByVariable(document: DocumentNode): boolean {
  const known = sizedByVariable.get(document);
  if (known !== undefined) return known;
  let found = false;
  visit(document, {
    Argument(node) {
      if (PAGE_ARGUMENTS.has(node.name.value) && node.value.kind === Kind.VARIABLE) found = true;
    },
  });
  sizedByVariable.set(document, found);
  return found;
}

export function useVariablePageCost(options: { maxCost: number }): Plugin {
  const rule = costLimitRule({ maxCost: options.maxCost, ignoreIntrospection: true });
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (!sizesPagesByVariable(args.document)) return;
      const variables = args.variableValues ?? {};
      const sized = visit(args.document, {
        Argument(node) {
          if (!PAGE_ARGUMENTS.has(node.name.value) || node.value.kind !== Kind.VARIABLE) return undefined;
          const value = variables[node.value.name.value];
          const size = typeof value === 'number' && Number.isInteger(value) ? Math.min(Math.max(value, 0), PAGE_SIZE.maxSize) : PAGE_SIZE.maxSize;
          return { ...node, value: { kind: Kind.INT, value: String(size) } };
        },
      });
      const errors = validate(args.schema, sized, [rule]);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
}

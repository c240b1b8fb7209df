import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The API page, beside the checkout when the reference folder is there. */
export const PAGE = path.resolve(__dirname, '../../../shared/reference/running-tasks-api.zh.md');

const VENDORED = path.resolve(__dirname, '../fixtures/page-examples.json');

export interface PageExamples {
  v1: unknown[];
  v2: unknown[];
}

/**
 * The API page's examples, from the copy in test/fixtures: the tests that
 * compare with the page then hold on a checkout without the reference
 * folder. `test/contracts/page-examples.test.ts` checks the copy against
 * the page itself whenever the page is there.
 */
export function pageExamples(): PageExamples {
  return JSON.parse(readFileSync(VENDORED, 'utf8')) as PageExamples;
}

/** The examples parsed from the page's V1 and V2 code blocks. */
export function parsePageExamples(text: string): PageExamples {
  const blocks = [...text.matchAll(/```\n(V1|V2)\n\n([\s\S]*?)```/g)];
  const find = (name: string): unknown[] => {
    const block = blocks.find((b) => b[1] === name)?.[2];
    if (block === undefined) throw new Error(`no ${name} example on the page`);
    return JSON.parse(block) as unknown[];
  };
  return { v1: find('V1'), v2: find('V2') };
}

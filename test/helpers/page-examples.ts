import { readFileSync } from 'node:fs';
import path from 'node:path';

const PAGE = path.resolve(__dirname, '../../../shared/reference/running-tasks-api.zh.md');
const FALLBACK = path.resolve(__dirname, '../../mock-server/scenarios/default');

/**
 * The examples of the API page, parsed from the page itself when it is
 * beside the checkout; otherwise from the default scenario's copies, which
 * the contracts test checks against the OpenAPI document.
 */
export function pageExamples(): { v1: unknown[]; v2: unknown[] } {
  try {
    const text = readFileSync(PAGE, 'utf8');
    const blocks = [...text.matchAll(/```\n(V1|V2)\n\n([\s\S]*?)```/g)];
    const find = (name: string): unknown[] => {
      const block = blocks.find((b) => b[1] === name)?.[2];
      if (block === undefined) throw new Error(`no ${name} example on the page`);
      return JSON.parse(block) as unknown[];
    };
    return { v1: find('V1'), v2: find('V2') };
  } catch {
    const read = (file: string): unknown =>
      JSON.parse(readFileSync(path.join(FALLBACK, file), 'utf8'));
    return { v1: [read('v1/page-example.json')], v2: [read('v2/page-example.json')] };
  }
}

/** Escapes text for a Markdown paragraph or table cell, so that data never becomes markup. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&').replace(/\r?\n/g, ' ');
}

/** A fenced code block whose fence is longer than any backtick run inside it. */
export function codeBlock(language: string, content: string): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${content}\n${fence}`;
}

/** A two-column table without a header row worth reading. */
export function table(rows: readonly [string, string][]): string {
  const body = rows.map(([k, v]) => `| ${escapeMarkdown(k)} | ${escapeMarkdown(v)} |`);
  return ['| | |', '|---|---|', ...body].join('\n');
}

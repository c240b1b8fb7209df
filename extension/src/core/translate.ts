/**
 * Translates an English message with `{0}`-style placeholders. In the extension this is
 * `vscode.l10n.t`; the core receives it as a parameter so that it never imports `vscode`.
 * Every call site passes a string literal, which the l10n test checks against the bundles.
 */
export type Translate = (message: string, ...args: (string | number | boolean)[]) => string;

/** The English fallback: fills the placeholders and translates nothing. */
export const englishOnly: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });

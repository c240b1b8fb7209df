import type { Page } from './playwright';

/**
 * The page functions below run in Chromium and use its `document`; the runner itself runs in
 * Node without the DOM types, so the little they use is declared here.
 */
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): Iterable<{ textContent: string | null }>;
};

const CONTAINER = 'a[class*="activity-workbench-view-extension-runningTasks"]';
const TREE_LABELS = '.part.sidebar [role=treeitem] .label-name';
const WELCOME_BUTTONS = '.part.sidebar .welcome-view-content .monaco-button';

/** Loads the workbench at `url` and waits until it has rendered. */
export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.waitForSelector('.monaco-workbench .part.activitybar', { timeout: 60_000 });
}

/** Clicks the "Pipeline Tasks" entry of the activity bar. */
export async function openContainer(page: Page): Promise<void> {
  const entry = page.locator(CONTAINER).first();
  await entry.waitFor({ state: 'visible', timeout: 30_000 });
  await entry.click();
}

export async function treeLabels(page: Page): Promise<string[]> {
  return page.locator(TREE_LABELS).allInnerTexts();
}

/** Waits until each label in `expected` appears in the tree at least that many times. */
export async function waitForLabels(
  page: Page,
  expected: Record<string, number>,
  timeoutMs = 20_000,
) {
  await page
    .waitForFunction(
      ({ selector, wanted }) => {
        const seen = [...document.querySelectorAll(selector)].map((e) => e.textContent ?? '');
        return Object.entries(wanted).every(
          ([label, n]) => seen.filter((s) => s === label).length >= n,
        );
      },
      { selector: TREE_LABELS, wanted: expected },
      { timeout: timeoutMs, polling: 100 },
    )
    .catch(async (error: unknown) => {
      throw new Error(
        `tree labels ${JSON.stringify(await treeLabels(page))} lack ${JSON.stringify(expected)}`,
        {
          cause: error,
        },
      );
    });
}

/** Waits until no tree row carries `label`. */
export async function waitForLabelGone(
  page: Page,
  label: string,
  timeoutMs = 20_000,
): Promise<void> {
  await page.waitForFunction(
    ({ selector, gone }) =>
      ![...document.querySelectorAll(selector)].some((e) => e.textContent === gone),
    { selector: TREE_LABELS, gone: label },
    { timeout: timeoutMs, polling: 100 },
  );
}

/** Waits for the view's welcome content to contain `text`; returns its button labels. */
export async function waitForWelcome(
  page: Page,
  text: string,
  timeoutMs = 20_000,
): Promise<string[]> {
  await page.waitForFunction(
    (wanted) =>
      [...document.querySelectorAll('.part.sidebar .welcome-view-content')].some((e) =>
        e.textContent?.includes(wanted),
      ),
    text,
    { timeout: timeoutMs, polling: 100 },
  );
  return page.locator(WELCOME_BUTTONS).allInnerTexts();
}

/** Runs a command from the command palette by its title, like a user. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page
    .locator('.quick-input-widget .quick-input-box input')
    .first()
    .waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(title);
  await waitForQuickPickRow(page, title);
  await page.keyboard.press('Enter');
}

/** Waits until the quick pick lists a row containing `text`. */
export async function waitForQuickPickRow(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (wanted) =>
      [...document.querySelectorAll('.quick-input-widget .monaco-list-row')].some((e) =>
        e.textContent?.includes(wanted),
      ),
    text,
    { timeout: 10_000, polling: 100 },
  );
}

/**
 * Picks the quick-pick row holding `text` with a click: typing a filter and
 * pressing Enter races the list's filtering, and Enter can land on another
 * row or before the list has focus.
 */
export async function pickQuickPickRow(page: Page, text: string): Promise<void> {
  await waitForQuickPickRow(page, text);
  await page
    .locator('.quick-input-widget .monaco-list-row', { hasText: text })
    .first()
    .click({ timeout: 10_000 });
}

/** Clicks the tree row labelled `label` (the first one), which toggles a collapsible row. */
export async function clickRow(page: Page, label: string): Promise<void> {
  await page
    .locator(TREE_LABELS, { hasText: exactly(label) })
    .first()
    .click({ timeout: 10_000 });
}

/** Clicks a button of the view's welcome content by its text. */
export async function clickWelcomeButton(page: Page, text: string): Promise<void> {
  await page
    .locator(WELCOME_BUTTONS, { hasText: exactly(text) })
    .first()
    .click({ timeout: 10_000 });
}

/** Waits until the side bar shows the "Pipeline Tasks" container. */
export async function waitForContainerTitle(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      /pipeline tasks/i.test(
        document.querySelector('.part.sidebar .composite.title')?.textContent ?? '',
      ),
    undefined,
    { timeout: 20_000, polling: 100 },
  );
}

function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

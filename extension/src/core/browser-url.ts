import type { BackendConfig } from './backend';
import { ConfigError } from './errors';
import type { TaskView } from './task-view';

const PLACEHOLDERS = ['id', 'pipeline', 'version', 'baseUrl'] as const;

/**
 * Fills the browser URL template of a backend for one task. `{id}`, `{pipeline}` and
 * `{version}` are URL-encoded; `{baseUrl}` is inserted as it is, being a URL itself.
 * Returns undefined when no template is set; throws ConfigError when the result is not an
 * http(s) URL, so that a typo cannot open a `file:` or `command:` link.
 */
export function taskBrowserUrl(backend: BackendConfig, task: TaskView): string | undefined {
  const template = backend.browserUrlTemplate.trim();
  if (!template) return undefined;

  const values: Record<(typeof PLACEHOLDERS)[number], string> = {
    id: encodeURIComponent(String(task.id)),
    pipeline: encodeURIComponent(task.pipeline),
    version: task.version,
    baseUrl: backend.baseUrl,
  };
  const filled = template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    (PLACEHOLDERS as readonly string[]).includes(name)
      ? values[name as keyof typeof values]
      : whole,
  );

  let url: URL;
  try {
    url = new URL(filled);
  } catch (cause) {
    throw new ConfigError('runningTasks.browserUrlTemplate', `"${filled}" is not a URL`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('runningTasks.browserUrlTemplate', `"${filled}" is not an http(s) URL`);
  }
  return url.href;
}

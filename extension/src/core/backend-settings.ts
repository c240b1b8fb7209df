import {
  normalizeBaseUrl,
  type ApiVersion,
  type AuthHeaderStyle,
  type BackendConfig,
} from './backend';
import { ConfigError, toRunningTasksError } from './errors';
import type { BackendEntry } from './tree-node';

/** The address the mock listens on by default, and so the default backend. */
export const DEFAULT_BACKEND_URL = 'http://127.0.0.1:4010';

/** An entry of `runningTasks.additionalBackends`, as the user wrote it. */
export interface AdditionalBackendSetting {
  name?: unknown;
  url?: unknown;
  apiVersion?: unknown;
  authHeader?: unknown;
  browserUrlTemplate?: unknown;
}

/** The settings that describe backends, as read from the configuration. */
export interface BackendSettings {
  backendUrl: string;
  backendName: string;
  apiVersion: ApiVersion;
  authHeader: AuthHeaderStyle;
  browserUrlTemplate: string;
  additionalBackends: readonly AdditionalBackendSetting[];
}

/** The mock this window started, which stands in for the default backend. */
export interface LocalMock {
  url: string;
}

export const PRIMARY_BACKEND_ID = 'default';
export const LOCAL_MOCK_BACKEND_ID = 'local-mock';

/**
 * Turns the settings into the tree's roots. The local mock, when running, takes the place
 * of the primary backend if that is unset or still at the mock's default address (that is
 * what "pointed at automatically" means); otherwise it is one more root. A backend whose
 * settings cannot be used stays as a root with the reason, rather than vanishing.
 */
export function backendEntries(settings: BackendSettings, mock?: LocalMock): BackendEntry[] {
  const entries: BackendEntry[] = [];
  const primaryUrl = settings.backendUrl.trim();
  const mockReplacesPrimary = mock && (!primaryUrl || sameUrl(primaryUrl, DEFAULT_BACKEND_URL));

  if (mock) {
    entries.push({
      config: {
        id: LOCAL_MOCK_BACKEND_ID,
        label: 'Local mock',
        baseUrl: mock.url.replace(/\/+$/, ''),
        apiVersion: settings.apiVersion,
        authHeader: settings.authHeader,
        browserUrlTemplate: '',
      },
    });
  }
  if (primaryUrl && !mockReplacesPrimary) {
    entries.push(
      entryOf(PRIMARY_BACKEND_ID, settings.backendName, primaryUrl, 'runningTasks.backendUrl', {
        apiVersion: settings.apiVersion,
        authHeader: settings.authHeader,
        browserUrlTemplate: settings.browserUrlTemplate,
      }),
    );
  }

  const used = new Set(entries.map((e) => (e.config ? e.config.id : e.id)));
  settings.additionalBackends.forEach((raw, index) => {
    const setting = `runningTasks.additionalBackends[${index}]`;
    const name = typeof raw.name === 'string' && raw.name.trim() ? raw.name.trim() : '';
    const id = uniqueId(`extra-${slug(name) || index}`, used);
    if (typeof raw.url !== 'string' || !raw.url.trim()) {
      const label = name || `#${index + 1}`;
      entries.push({ id, label, error: new ConfigError(setting, '"url" is required') });
      return;
    }
    entries.push(
      entryOf(id, name, raw.url, `${setting}.url`, {
        apiVersion:
          raw.apiVersion === 'v1' || raw.apiVersion === 'v2' ? raw.apiVersion : settings.apiVersion,
        authHeader:
          raw.authHeader === 'bearer' || raw.authHeader === 'x-api-key'
            ? raw.authHeader
            : settings.authHeader,
        browserUrlTemplate:
          typeof raw.browserUrlTemplate === 'string' ? raw.browserUrlTemplate : '',
      }),
    );
  });
  return entries;
}

function entryOf(
  id: string,
  name: string,
  url: string,
  setting: string,
  rest: Pick<BackendConfig, 'apiVersion' | 'authHeader' | 'browserUrlTemplate'>,
): BackendEntry {
  try {
    const baseUrl = normalizeBaseUrl(url, setting);
    return { config: { id, label: name.trim() || new URL(baseUrl).host, baseUrl, ...rest } };
  } catch (thrown) {
    return { id, label: name.trim() || url, error: toRunningTasksError(thrown) };
  }
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}

import assert from 'node:assert/strict';
import {
  authorizationHeader,
  normalizeBaseUrl,
  taskListUrl,
  taskStreamUrl,
} from '../../extension/src/core/backend';
import {
  backendEntries,
  DEFAULT_BACKEND_URL,
  type BackendSettings,
} from '../../extension/src/core/backend-settings';
import { ERROR_CODES } from '../../extension/src/core/errors';

function settings(overrides: Partial<BackendSettings> = {}): BackendSettings {
  return {
    backendUrl: DEFAULT_BACKEND_URL,
    backendName: '',
    apiVersion: 'v2',
    authHeader: 'bearer',
    browserUrlTemplate: '',
    additionalBackends: [],
    ...overrides,
  };
}

describe('backend settings', () => {
  it('makes the primary backend from the default settings', () => {
    const [entry] = backendEntries(settings());
    assert.deepEqual(entry?.config, {
      id: 'default',
      label: '127.0.0.1:4010',
      baseUrl: 'http://127.0.0.1:4010',
      apiVersion: 'v2',
      authHeader: 'bearer',
      browserUrlTemplate: '',
    });
  });

  it('configures nothing when the URL is empty and there are no others', () => {
    assert.deepEqual(backendEntries(settings({ backendUrl: ' ' })), []);
  });

  it('lets the running local mock stand in for an unset or default primary backend', () => {
    for (const backendUrl of ['', DEFAULT_BACKEND_URL, `${DEFAULT_BACKEND_URL}/`]) {
      const entries = backendEntries(settings({ backendUrl }), { url: 'http://127.0.0.1:5555' });
      assert.deepEqual(
        entries.map((e) => [e.config?.id, e.config?.baseUrl]),
        [['local-mock', 'http://127.0.0.1:5555']],
      );
    }
  });

  it('adds the local mock beside a real backend instead of replacing it', () => {
    const entries = backendEntries(settings({ backendUrl: 'https://ci.example.com/aslan/' }), {
      url: 'http://127.0.0.1:5555',
    });
    assert.deepEqual(
      entries.map((e) => e.config?.baseUrl),
      ['http://127.0.0.1:5555', 'https://ci.example.com/aslan'],
    );
  });

  it('adds each additional backend as a root with its own or inherited fields', () => {
    const entries = backendEntries(
      settings({
        additionalBackends: [
          {
            name: 'Staging CI',
            url: 'https://staging.example.com',
            apiVersion: 'v1',
            authHeader: 'x-api-key',
          },
          { name: 'Staging CI', url: 'https://other.example.com' },
        ],
      }),
    );
    assert.deepEqual(
      entries.map((e) => [
        e.config?.id,
        e.config?.label,
        e.config?.apiVersion,
        e.config?.authHeader,
      ]),
      [
        ['default', '127.0.0.1:4010', 'v2', 'bearer'],
        ['extra-staging-ci', 'Staging CI', 'v1', 'x-api-key'],
        ['extra-staging-ci-2', 'Staging CI', 'v2', 'bearer'],
      ],
    );
  });

  it('keeps a backend with unusable settings as a root that says why', () => {
    const entries = backendEntries(
      settings({ backendUrl: 'ftp://x', additionalBackends: [{ name: 'no url' }] }),
    );
    assert.deepEqual(
      entries.map((e) => [e.error?.code, e.error?.message]),
      [
        [
          ERROR_CODES.CONFIG,
          'runningTasks.backendUrl: "ftp://x" must start with http:// or https://',
        ],
        [ERROR_CODES.CONFIG, 'runningTasks.additionalBackends[0]: "url" is required'],
      ],
    );
  });
});

describe('backend routes', () => {
  const backend = {
    id: 'b',
    label: 'b',
    baseUrl: normalizeBaseUrl('https://ci.example.com/aslan/'),
    apiVersion: 'v1' as const,
    authHeader: 'bearer' as const,
    browserUrlTemplate: '',
  };

  it('joins the routes of each version under a path prefix', () => {
    assert.equal(taskListUrl(backend), 'https://ci.example.com/aslan/api/tasks/running');
    assert.equal(taskStreamUrl(backend), 'wss://ci.example.com/aslan/api/tasks/running/realtime');
    assert.equal(
      taskStreamUrl({ ...backend, apiVersion: 'v2', baseUrl: 'http://h:1' }),
      'ws://h:1/api/v2/tasks/ws/running',
    );
  });

  it('writes the token in either header style', () => {
    assert.equal(authorizationHeader('bearer', 'T'), 'Bearer T');
    assert.equal(authorizationHeader('x-api-key', 'T'), 'X-API-KEY T');
  });

  it('refuses a base URL with a query, which would carry secrets into logs', () => {
    assert.throws(() => normalizeBaseUrl('http://h/?token=x'), { code: ERROR_CODES.CONFIG });
  });
});

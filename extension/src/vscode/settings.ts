import * as vscode from 'vscode';
import type { ApiVersion, AuthHeaderStyle } from '../core/backend';
import {
  DEFAULT_BACKEND_URL,
  type AdditionalBackendSetting,
  type BackendSettings,
} from '../core/backend-settings';

export const SECTION = 'runningTasks';

/** Every setting the extension reads, typed, with the defaults of package.json. */
export interface ExtensionSettings extends BackendSettings {
  notifications: boolean;
  transport: 'auto' | 'polling';
  pollIntervalSeconds: number;
  mockCommand: string;
  mockScenario: string;
}

export function readSettings(): ExtensionSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    backendUrl: c.get<string>('backendUrl', DEFAULT_BACKEND_URL),
    backendName: c.get<string>('backendName', ''),
    apiVersion: c.get<ApiVersion>('apiVersion', 'v2'),
    authHeader: c.get<AuthHeaderStyle>('authHeader', 'bearer'),
    browserUrlTemplate: c.get<string>('browserUrlTemplate', ''),
    additionalBackends: c.get<AdditionalBackendSetting[]>('additionalBackends', []),
    notifications: c.get<boolean>('notifications.enabled', false),
    transport: c.get<'auto' | 'polling'>('transport', 'auto'),
    pollIntervalSeconds: Math.max(1, c.get<number>('pollIntervalSeconds', 5)),
    mockCommand: c.get<string>('localMock.command', ''),
    mockScenario: c.get<string>('localMock.scenario', ''),
  };
}

/** Settings whose change means the backends and their feeds must be rebuilt. */
export const BACKEND_SETTINGS = [
  'backendUrl',
  'backendName',
  'apiVersion',
  'authHeader',
  'browserUrlTemplate',
  'additionalBackends',
  'transport',
  'pollIntervalSeconds',
].map((key) => `${SECTION}.${key}`);

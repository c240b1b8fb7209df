import * as vscode from 'vscode';
import type { BackendConfig } from '../../core/backend';
import { backendIdOf, configuredBackends, type Services } from '../services';

/**
 * The backend a command acts on: the one it was invoked for, the only one, or the user's
 * pick. Undefined when none is configured or the pick is dismissed.
 */
export async function pickBackend(
  services: Services,
  arg: unknown,
  placeHolder: string,
): Promise<BackendConfig | undefined> {
  const backends = configuredBackends(services);
  const id = backendIdOf(arg);
  if (id) return backends.find((b) => b.id === id);
  if (backends.length <= 1) return backends[0];

  const picked = await vscode.window.showQuickPick(
    backends.map((backend) => ({ label: backend.label, description: backend.baseUrl, backend })),
    { placeHolder },
  );
  return picked?.backend;
}

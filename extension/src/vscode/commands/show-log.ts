import * as vscode from 'vscode';
import { COMMANDS } from '../../core/command-ids';
import type { Services } from '../services';

/** Shows the extension's log; its level is the user's, via "Developer: Set Log Level…". */
export function registerShowLog(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.showLog, () => services.log.show());
}

import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { tagLogger, type Logger } from '../core/logger';
import { resolveMockCommand } from '../core/mock-command';
import { MockProcess } from '../core/mock-process';
import { Emitter } from '../core/emitter';
import { MockStartError } from '../core/errors';
import { readSettings } from './settings';

/**
 * The local mock this window owns: at most one process, started on a free port, stopped on
 * the stop command, on a new start, and when the extension deactivates.
 */
export class LocalMock implements vscode.Disposable {
  private mock: MockProcess | undefined;
  private starting: Promise<MockProcess> | undefined;
  private readonly changeEmitter = new Emitter<void>();
  /** The mock started or stopped (or died); `url` tells which. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = tagLogger(logger, 'mock');
  }

  /** The mock's URL while it runs. */
  get url(): string | undefined {
    return this.mock?.running ? this.mock.url : undefined;
  }

  /** Starts the mock, or returns the one already running. Rejects with MockStartError. */
  async start(): Promise<string> {
    if (this.url) return this.url;
    this.starting ??= this.spawn().finally(() => (this.starting = undefined));

    const mock = await this.starting;
    return mock.url;
  }

  async stop(): Promise<void> {
    const mock = this.mock;
    this.mock = undefined;
    if (!mock) return;

    await mock.stop();
    this.logger.info('stopped');
    await this.setContext(false);
    this.changeEmitter.fire();
  }

  dispose(): void {
    void this.stop();
    this.changeEmitter.dispose();
  }

  private async spawn(): Promise<MockProcess> {
    const settings = readSettings();
    // Found in the workspace means: code from the workspace. Run it only if it is trusted
    // (a command from the user's own settings is theirs; restrictedConfigurations in
    // package.json keeps an untrusted workspace from setting it).
    if (!settings.mockCommand.trim() && !vscode.workspace.isTrusted) {
      throw new MockStartError(
        'the workspace is not trusted: trust it, or set runningTasks.localMock.command ' +
          'in your user settings',
      );
    }
    const command = resolveMockCommand({
      configured: settings.mockCommand,
      workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
      execPath: process.execPath,
      exists: existsSync,
      scenario: settings.mockScenario,
    });
    if (!command) {
      throw new MockStartError(
        'found no mock server to start: set runningTasks.localMock.command, ' +
          'or open the running-tasks repository',
      );
    }

    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const child = await MockProcess.start({
      argv: command.argv,
      cwd,
      env: { ...process.env, ...command.env },
      logger: this.logger,
    });
    this.logger.info(`listening at ${child.url} (pid ${child.pid ?? '?'})`);

    child.onExit((code) => {
      if (this.mock !== child) return;
      this.mock = undefined;
      this.logger.warn(`exited unexpectedly with code ${code ?? 'null'}`);
      void this.setContext(false);
      this.changeEmitter.fire();
    });
    this.mock = child;
    await this.setContext(true);
    this.changeEmitter.fire();
    return child;
  }

  private async setContext(running: boolean): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'runningTasks.mockRunning', running);
  }
}

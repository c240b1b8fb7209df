import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { redact } from '../core/redact';

/**
 * The extension's one log: a `LogOutputChannel`, so the user picks the level with
 * "Developer: Set Log Level…" and VS Code stamps each line. Every line passes through
 * `redact` with the tokens currently known.
 */
export class LogChannel implements Logger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor(name: string) {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  /** Tokens to blank out of every line from now on. */
  addSecret(secret: string): void {
    this.secrets.add(secret);
  }

  trace(message: string): void {
    this.channel.trace(redact(message, this.secrets));
  }
  debug(message: string): void {
    this.channel.debug(redact(message, this.secrets));
  }
  info(message: string): void {
    this.channel.info(redact(message, this.secrets));
  }
  warn(message: string): void {
    this.channel.warn(redact(message, this.secrets));
  }
  error(message: string): void {
    this.channel.error(redact(message, this.secrets));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

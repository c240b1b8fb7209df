import path from 'node:path';

/** The repository root: this file is test/vscode/runner/paths.ts. */
export const REPO = path.resolve(__dirname, '../../..');
export const EXTENSION_DIR = path.join(REPO, 'extension');
export const TOOLS_DIR = path.join(REPO, 'tools/vscode-e2e');
export const ARTIFACTS_DIR = path.join(REPO, '.artifacts');
export const E2E_DIR = path.join(ARTIFACTS_DIR, 'vscode-e2e');
export const SUITE_DIR = path.join(E2E_DIR, 'suite');
export const VSIX = path.join(ARTIFACTS_DIR, 'running-tasks-vscode.vsix');
export const SCREENSHOT = path.join(ARTIFACTS_DIR, 'vscode-tree.png');
export const CLI = path.join(REPO, 'cli/dist/main.js');

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { COMMANDS, VIEW_CONTAINER_ID, VIEW_ID } from '../../extension/src/core/command-ids';

const EXTENSION = path.resolve(__dirname, '../../extension');

interface Manifest {
  engines: { vscode: string };
  extensionKind: string[];
  contributes: {
    commands: { command: string; title: string }[];
    viewsContainers: { activitybar: { id: string }[] };
    views: Record<string, { id: string }[]>;
    viewsWelcome: { view: string }[];
    configuration: { properties: Record<string, unknown> };
  };
  devDependencies: Record<string, string>;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(EXTENSION, file), 'utf8')) as T;
}

/** Every `t('…')` literal in the extension's source: what the bundles must translate. */
function messagesInSource(): Set<string> {
  const messages = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (file.endsWith('.ts')) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(/\bt\(\s*'((?:[^'\\]|\\.)*)'/g)) messages.add(match[1]);
      }
    }
  };
  visit(path.join(EXTENSION, 'src'));
  return messages;
}

describe('extension manifest', () => {
  const manifest = readJson<Manifest>('package.json');

  it('asks for no newer VS Code than the one the tests run in (1.100)', () => {
    const [major, minor] = manifest.engines.vscode
      .replace(/^[\^~]/, '')
      .split('.')
      .map(Number);
    assert.ok(major === 1 && minor <= 100, manifest.engines.vscode);
    assert.match(manifest.devDependencies['@types/vscode'] ?? '', /^~?1\.100\./);
  });

  it('runs where the workspace is, so it can reach a mock on that machine', () => {
    assert.deepEqual(manifest.extensionKind, ['workspace']);
  });

  it('declares every command the code registers, and no other', () => {
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(declared, Object.values(COMMANDS).sort());
  });

  it('names the view and its container as the code does', () => {
    assert.equal(manifest.contributes.viewsContainers.activitybar[0]?.id, VIEW_CONTAINER_ID);
    assert.deepEqual(
      manifest.contributes.views[VIEW_CONTAINER_ID]?.map((v) => v.id),
      [VIEW_ID],
    );
    assert.ok(manifest.contributes.viewsWelcome.every((w) => w.view === VIEW_ID));
  });
});

describe('translations', () => {
  const english = readJson<Record<string, string>>('package.nls.json');
  const chinese = readJson<Record<string, string>>('package.nls.zh-cn.json');
  const bundle = readJson<Record<string, string>>('l10n/bundle.l10n.zh-cn.json');

  it('defines every %key% of package.json in English and Simplified Chinese', () => {
    const text = readFileSync(path.join(EXTENSION, 'package.json'), 'utf8');
    const keys = [...text.matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length > 20);

    assert.deepEqual(
      keys.filter((k) => !(k in english)),
      [],
    );
    assert.deepEqual(
      keys.filter((k) => !(k in chinese)),
      [],
    );
    assert.deepEqual(Object.keys(chinese).sort(), Object.keys(english).sort());
  });

  it('translates every runtime message into Simplified Chinese, with the same placeholders', () => {
    const messages = messagesInSource();
    assert.ok(messages.size > 50);

    assert.deepEqual(
      [...messages].filter((m) => !(m in bundle)),
      [],
    );
    assert.deepEqual(
      Object.keys(bundle).filter((m) => !messages.has(m)),
      [],
      'stale entries',
    );
    for (const [message, translation] of Object.entries(bundle)) {
      const placeholders = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join();
      assert.equal(placeholders(translation), placeholders(message), message);
    }
  });

  it('keeps the command links of the welcome views in both languages', () => {
    const links = (s: string | undefined) => (s?.match(/\(command:[\w.]+\)/g) ?? []).join();
    for (const key of ['welcome.unconfigured', 'welcome.unreachable']) {
      assert.ok(links(english[key]).includes('runningTasks.startLocalMock'));
      assert.equal(links(chinese[key]), links(english[key]));
    }
  });
});

import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalLinkAllowed } from '../../../src/main/networks/external-links';
import { appRequestFile, isAppPage } from '../../../src/main/server/app-url';

const root = join(sep, 'opt', 'nocturne', 'out', 'renderer');

describe('the app:// origin', () => {
  it('serves files of the built UI only, with their types', () => {
    expect(appRequestFile(root, 'app://nocturne/index.html')).toEqual({
      file: join(root, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(appRequestFile(root, 'app://nocturne/')).toMatchObject({ file: join(root, 'index.html') });
    expect(appRequestFile(root, 'app://nocturne/assets/main-1a2b.js?x=1#y')).toMatchObject({
      file: join(root, 'assets', 'main-1a2b.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
    for (const bad of [
      'app://nocturne/../../etc/passwd',
      'app://nocturne/%2e%2e/%2e%2e/etc/passwd',
      'app://nocturne/..%2f..%2fetc%2fpasswd',
      'app://nocturne/assets/%00.js',
      'app://evil/index.html',
      'file:///etc/passwd',
      'app://nocturne/keystore.bin', // no such kind of file in the UI
      'not a url',
    ])
      expect(appRequestFile(root, bad), bad).toBeNull();
  });

  it('names our two pages as our own, whatever the hash', () => {
    expect(isAppPage('app://nocturne/index.html#/setup')).toBe(true);
    expect(isAppPage('app://nocturne/bench.html#run=1&quick=1')).toBe(true);
    for (const other of [
      'app://nocturne/assets/x.js',
      'app://nocturne.evil/index.html',
      'file:///opt/nocturne/out/renderer/index.html',
      'https://nocturne/index.html',
      '',
    ])
      expect(isAppPage(other), other).toBe(false);
  });
});

describe('links opened in the browser', () => {
  const networks = [
    { explorerUrl: 'https://sepolia.etherscan.io' },
    { explorerUrl: 'http://insecure.example' },
    { explorerUrl: null },
  ];
  it('go only over https to a network’s explorer or the project’s site', () => {
    expect(externalLinkAllowed(`https://sepolia.etherscan.io/tx/0x${'ab'.repeat(32)}`, networks)).toBe(true);
    expect(externalLinkAllowed('https://github.com/nocturne/issues', networks)).toBe(true);
    for (const refused of [
      'http://sepolia.etherscan.io/tx/0x1', // not https
      'http://insecure.example/tx/0x1', // an http explorer is no exception
      'https://sepolia.etherscan.io.evil.example/tx/0x1',
      'https://user:pass@sepolia.etherscan.io/',
      'file:///etc/passwd',
      'smb://attacker/share',
      'javascript:alert(1)',
      'https://example.com/',
      'garbage',
    ])
      expect(externalLinkAllowed(refused, networks), refused).toBe(false);
  });
});

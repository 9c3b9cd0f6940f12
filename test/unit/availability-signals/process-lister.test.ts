import { describe, expect, it } from 'vitest';
import type { ProcessRunner, RunResult } from '../../../src/main/os/process-runner';
import { createProcessRunner } from '../../../src/main/os/process-runner';
import {
  createProcessLister,
  createProcProcessLister,
  createPsProcessLister,
  parsePsOutput,
  parseTasklistCsv,
} from '../../../src/main/availability/signals/process-lister';
import { parseProcStat } from '../../../src/main/availability/signals/proc-stat';

const onLinux = process.platform === 'linux';

function fakeRunner(answers: Record<string, string>): ProcessRunner & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    run(command, args) {
      const key = [command, ...args].join(' ');
      calls.push(key);
      const stdout = answers[key];
      const result: RunResult =
        stdout === undefined
          ? { stdout: '', stderr: 'no such answer', exitCode: 1, failure: null }
          : { stdout, stderr: '', exitCode: 0, failure: null };
      return Promise.resolve(result);
    },
    stream() {
      throw new Error('not used');
    },
    which: () => null,
  };
}

describe('parseProcStat', () => {
  it('counts fields from the last parenthesis, so names with spaces and parentheses parse', () => {
    expect(parseProcStat('4242 (Web (Content)) S 100 4242 4242 0 -1 4194560 1 2 3')).toEqual({
      pid: 4242,
      comm: 'Web (Content)',
      state: 'S',
      ppid: 100,
      pgrp: 4242,
      startTime: null, // the line is cut before field 22
    });
    const full = `7 (sh) R 1 7 7 0 -1 4194304 ${'0 '.repeat(12)}987654 8 9`; // fields 10-21 zero, 22 = starttime
    expect(parseProcStat(full)?.startTime).toBe(987654);
    expect(parseProcStat('garbage')).toBeNull();
  });
});

describe.runIf(onLinux)('the /proc lister', () => {
  it('lists this test process with its parent and command line', async () => {
    const list = await createProcProcessLister().list();
    const me = list.find((p) => p.pid === process.pid);
    expect(me).toBeDefined();
    expect(me!.ppid).toBe(process.ppid);
    expect(me!.args.slice(1)).toEqual([...process.execArgv, ...process.argv.slice(1)]);
    expect(list.find((p) => p.pid === 1)?.ppid).toBe(0);
  });

  it('reads a process’s arguments once, and again after an exec renames it or its pid is reused', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const root = mkdtempSync(join(tmpdir(), 'nocturne-fake-proc-'));
    const write = (comm: string, start: number, cmdline: string) => {
      mkdirSync(join(root, '42'), { recursive: true });
      writeFileSync(join(root, '42', 'stat'), `42 (${comm}) S 1 42 42 0 -1 0 ${'0 '.repeat(12)}${start} 0 0`);
      writeFileSync(join(root, '42', 'cmdline'), cmdline);
    };
    try {
      const lister = createProcProcessLister(root);
      write('launcher', 100, 'launcher\0--game\0');
      expect((await lister.list())[0]).toMatchObject({ name: 'launcher', args: ['launcher', '--game'] });
      write('launcher', 100, 'changed\0'); // the same process: its arguments are not read again
      expect((await lister.list())[0]!.args).toEqual(['launcher', '--game']);
      write('eldenring.exe', 100, 'eldenring.exe\0'); // exec: a new name in the same pid
      expect((await lister.list())[0]).toMatchObject({ name: 'eldenring.exe', args: ['eldenring.exe'] });
      write('eldenring.exe', 900, 'other\0'); // the pid reused by a new process
      expect((await lister.list())[0]!.args).toEqual(['other']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('is what the factory picks on Linux; tasklist on Windows; ps elsewhere', () => {
    const runner = fakeRunner({});
    expect(createProcessLister(runner, 'linux').kind).toBe('proc');
    expect(createProcessLister(runner, 'win32').kind).toBe('tasklist');
    expect(createProcessLister(runner, 'darwin').kind).toBe('ps');
    expect(createProcessLister(runner, 'linux', '/nonexistent-proc').kind).toBe('ps');
  });

  it('agrees with the real ps about this process', async () => {
    const list = await createPsProcessLister(createProcessRunner(), 'linux').list();
    const me = list.find((p) => p.pid === process.pid);
    expect(me?.ppid).toBe(process.ppid);
  });
});

describe('the ps lister', () => {
  it('joins comm and args by pid, keeping a macOS app path with spaces whole', async () => {
    const runner = fakeRunner({
      'ps -axww -o pid=,ppid=,comm=': [
        '    1     0 /sbin/launchd',
        '  501     1 /Applications/Steam.app/Contents/MacOS/steam_osx',
        "  777   501 /Users/me/Library/Application Support/Steam/steamapps/common/Baldurs Gate 3/Baldur's Gate 3.app/Contents/MacOS/Baldur's Gate 3",
        '  800     1 /usr/bin/java',
        '',
      ].join('\n'),
      'ps -axww -o pid=,args=': [
        '    1 /sbin/launchd',
        '  501 /Applications/Steam.app/Contents/MacOS/steam_osx -silent',
        "  777 /Users/me/Library/Application Support/Steam/steamapps/common/Baldurs Gate 3/Baldur's Gate 3.app/Contents/MacOS/Baldur's Gate 3 -skip-launcher",
        '  800 java -Xmx2G net.minecraft.client.main.Main',
      ].join('\n'),
    });
    const list = await createPsProcessLister(runner, 'darwin').list();
    expect(runner.calls).toHaveLength(2);
    expect(list).toEqual([
      { pid: 1, ppid: 0, name: 'launchd', args: ['/sbin/launchd'] },
      {
        pid: 501,
        ppid: 1,
        name: 'steam_osx',
        args: ['/Applications/Steam.app/Contents/MacOS/steam_osx', '-silent'],
      },
      {
        pid: 777,
        ppid: 501,
        name: "Baldur's Gate 3",
        args: [
          "/Users/me/Library/Application Support/Steam/steamapps/common/Baldurs Gate 3/Baldur's Gate 3.app/Contents/MacOS/Baldur's Gate 3",
          '-skip-launcher',
        ],
      },
      { pid: 800, ppid: 1, name: 'java', args: ['java', '-Xmx2G', 'net.minecraft.client.main.Main'] },
    ]);
  });

  it('fails loudly when ps fails', async () => {
    await expect(createPsProcessLister(fakeRunner({}), 'darwin').list()).rejects.toThrow(/ps failed/);
  });

  it('parses lines it cannot join as processes without args', () => {
    expect(parsePsOutput('  5 1 sh\n', '')).toEqual([{ pid: 5, ppid: 1, name: 'sh', args: [] }]);
  });
});

describe('the tasklist lister', () => {
  it('reads image names and pids; the parent is unknown (-1)', async () => {
    const csv = [
      '"System Idle Process","0","Services","0","8 K"',
      '"steam.exe","6120","Console","1","120,504 K"',
      '"League of Legends.exe","9001","Console","1","1,204,000 K"',
      '',
    ].join('\r\n');
    const runner = fakeRunner({ 'tasklist /fo csv /nh': csv });
    expect(await createProcessLister(runner, 'win32').list()).toEqual([
      { pid: 0, ppid: -1, name: 'System Idle Process', args: [] },
      { pid: 6120, ppid: -1, name: 'steam.exe', args: [] },
      { pid: 9001, ppid: -1, name: 'League of Legends.exe', args: [] },
    ]);
    expect(parseTasklistCsv('INFO: No tasks are running which match the specified criteria.')).toEqual([]);
  });
});

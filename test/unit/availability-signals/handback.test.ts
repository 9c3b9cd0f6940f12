import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandbackController } from '../../../src/main/availability/handback/handback-controller';
import {
  createProcessGroupFreezer,
  type JobControl,
} from '../../../src/main/availability/handback/job-control';
import { processGroupMembers, readProcStat } from '../../../src/main/availability/signals/proc-stat';

const onLinux = process.platform === 'linux';
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** A busy job in its own process group: sh and the loop's subshell-free body. */
function busyJob(): number {
  const child = spawn('sh', ['-c', 'while :; do :; done'], { detached: true, stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

async function until(check: () => boolean, timeoutMs = 2_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

describe.runIf(onLinux)('processGroupFreezer', () => {
  it('freezes a real process group (state T in /proc) and thaws it (R or S)', async () => {
    const pgid = busyJob();
    expect(await until(() => readProcStat(pgid)?.state === 'R' || readProcStat(pgid)?.state === 'S')).toBe(
      true,
    );
    expect(processGroupMembers(pgid).map((m) => m.pid)).toEqual([pgid]);

    const freezer = createProcessGroupFreezer();
    freezer.register(pgid);
    expect(freezer.running()).toBe(1);

    await freezer.freezeAll('a game started');
    expect(await freezer.confirmFrozen(1_000)).toBe(true);
    expect(readProcStat(pgid)?.state).toBe('T');
    expect(freezer.isFrozen(pgid)).toBe(true);
    expect(freezer.running()).toBe(0);

    await freezer.thawAll();
    expect(await until(() => ['R', 'S'].includes(readProcStat(pgid)?.state ?? ''))).toBe(true);
    expect(freezer.isRunning(pgid)).toBe(true);
    expect(freezer.running()).toBe(1);
  });

  it('forgets a group that has ended', async () => {
    const pgid = busyJob();
    const freezer = createProcessGroupFreezer();
    freezer.register(pgid);
    process.kill(-pgid, 'SIGKILL');
    await until(() => {
      const s = readProcStat(pgid)?.state;
      return s === undefined || s === 'Z';
    });
    await new Promise((r) => setTimeout(r, 50)); // let Node reap it
    await freezer.freezeAll('test');
    expect(freezer.groups()).toEqual([]);
  });

  it('reports a refused signal instead of throwing', async () => {
    const errors: string[] = [];
    const freezer = createProcessGroupFreezer({
      kill: () => {
        throw Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
      },
      onError: (m) => errors.push(m),
    });
    freezer.register(4242);
    await freezer.freezeAll('x');
    expect(errors).toEqual(['Could not send SIGSTOP to process group 4242: operation not permitted']);
    expect(freezer.groups()).toEqual([4242]);
  });
});

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A JobControl that records calls, each completing when the test says so. */
function scriptedJobs() {
  const calls: string[] = [];
  const pending: ReturnType<typeof deferred>[] = [];
  const jobs: JobControl = {
    freezeAll(reason) {
      calls.push(`freeze:${reason}`);
      const d = deferred();
      pending.push(d);
      return d.promise;
    },
    thawAll() {
      calls.push('thaw');
      const d = deferred();
      pending.push(d);
      return d.promise;
    },
    running: () => 0,
  };
  return { jobs, calls, pending };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('createHandbackController', () => {
  it('freezes synchronously on a change to false, thaws on a change to true, ignores repeats', async () => {
    const { jobs, calls, pending } = scriptedJobs();
    const controller = createHandbackController({ jobs, onError: () => {} });

    void controller.apply(false, 'A game is running');
    expect(calls).toEqual(['freeze:A game is running']); // no await before the freeze
    void controller.apply(false, 'still');
    expect(calls).toHaveLength(1);

    pending[0]!.resolve();
    const thawed = controller.apply(true);
    void controller.apply(true);
    await flush();
    expect(calls).toEqual(['freeze:A game is running', 'thaw']);
    pending[1]!.resolve();
    await thawed;
    expect(controller.state()).toBe(true);
  });

  it('does not thaw before a freeze still in flight has finished, nor at all if the owner is back', async () => {
    const { jobs, calls, pending } = scriptedJobs();
    const controller = createHandbackController({ jobs, onError: () => {} });
    void controller.apply(false, 'game');
    void controller.apply(true);
    await flush();
    expect(calls).toEqual(['freeze:game']); // the thaw waits
    void controller.apply(false, 'game again'); // and a new freeze does not
    expect(calls).toEqual(['freeze:game', 'freeze:game again']);
    pending[0]!.resolve();
    pending[1]!.resolve();
    await flush();
    expect(calls).toEqual(['freeze:game', 'freeze:game again']); // the stale thaw was dropped
  });

  it('freezes again after a thaw that was in flight when the owner came back', async () => {
    const { jobs, calls, pending } = scriptedJobs();
    const controller = createHandbackController({ jobs, onError: () => {} });
    void controller.apply(true);
    await flush();
    expect(calls).toEqual(['thaw']);
    void controller.apply(false, 'game');
    expect(calls).toEqual(['thaw', 'freeze:game']); // at once, not after the thaw
    pending[1]!.resolve();
    pending[0]!.resolve(); // the thaw lands last...
    await flush();
    expect(calls).toEqual(['thaw', 'freeze:game', 'freeze:game']); // ...so the freeze is sent again
  });

  it('reports a failed freeze and keeps working', async () => {
    const { jobs, calls, pending } = scriptedJobs();
    const errors: string[] = [];
    const controller = createHandbackController({ jobs, onError: (m) => errors.push(m) });
    const done = controller.apply(false, 'game');
    pending[0]!.reject(new Error('boom'));
    await done;
    expect(errors).toEqual(['Could not freeze the rental jobs']);
    void controller.apply(true);
    await flush();
    expect(calls).toEqual(['freeze:game', 'thaw']);
  });
});

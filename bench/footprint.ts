// npm run bench:footprint: what Nocturne costs while it waits. Starts the headless agent (`nocturne serve`)
// on a fresh data directory and, where an Electron binary exists, the tray app with its window closed
// (`--hidden`), lets each settle, then samples the whole process tree over a quiet period: resident memory
// (VmRSS summed over the tree; the largest sample) and CPU time as a share of one core. Targets for the
// headless agent at rest: <= 120 MB and <= 0.3 % of one core. Linux only (/proc).
//
// Scenarios: `rest` (a fresh install, renting off), `online` (renting on over loopback: the libp2p node and
// the offer publisher, with the embedded devnet the offer is published on). Env: SETTLE_S (default 60: the start-up's garbage collection and compilation settle first),
// QUIET_S (default 60), SCENARIOS (default "rest,online").
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedElectronPath } from '../scripts/electron-binary.js';
import { dataPaths } from '../src/main/data-dir/resolve-data-dir';
import { createSettingsRepository } from '../src/main/settings/settings-repository';
import { openDatabase } from '../src/main/store/open-database';
import { sampleTree, ticksToSeconds } from './process-tree';

const SETTLE_S = Number(process.env.SETTLE_S ?? 60);
const QUIET_S = Number(process.env.QUIET_S ?? 60);
const SCENARIOS = (process.env.SCENARIOS ?? 'rest,online').split(',');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Figures {
  what: string;
  processes: number;
  peakMB: number;
  meanMB: number;
  cpuPct: number;
}

function freshDir(settings: [string, unknown][]): string {
  const dir = mkdtempSync(join(tmpdir(), 'nocturne-footprint-'));
  const { db } = openDatabase(dataPaths(dir).database);
  createSettingsRepository(db).writeMany([['setupDone', true], ...settings], new Date());
  db.close();
  return dir;
}

async function waitForOutput(child: ChildProcess, pattern: RegExp, ms: number): Promise<void> {
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in ${ms} ms:\n${output}`)), ms);
    const on = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

async function measure(what: string, child: ChildProcess): Promise<Figures> {
  await sleep(SETTLE_S * 1000);
  const pid = child.pid!;
  const first = sampleTree(pid);
  const started = process.hrtime.bigint();
  const samples = [first];
  for (let t = 0; t < QUIET_S; t += 5) {
    await sleep(5000);
    samples.push(sampleTree(pid));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const last = samples.at(-1)!;
  const mb = (bytes: number) => bytes / 1024 / 1024;
  return {
    what,
    processes: Math.max(...samples.map((s) => s.pids.length)),
    peakMB: mb(Math.max(...samples.map((s) => s.rssBytes))),
    meanMB: mb(samples.reduce((sum, s) => sum + s.rssBytes, 0) / samples.length),
    cpuPct: (ticksToSeconds(last.cpuTicks - first.cpuTicks) / seconds) * 100,
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
}

async function headless(scenario: string): Promise<Figures> {
  const online = scenario === 'online';
  const dir = freshDir(
    online
      ? [
          ['providerOnline', true],
          ['p2pPort', 0],
        ]
      : [],
  );
  const child = spawn(process.execPath, ['bin/nocturne.js', 'serve', '--port', '0', '--data-dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NOCTURNE_DEVNET_PORT: '0', ...(online ? { NOCTURNE_P2P_LOOPBACK: '1' } : {}) },
  });
  try {
    await waitForOutput(child, /http:\/\/127\.0\.0\.1:\d+\/\?token=/, 30_000);
    return await measure(
      `headless agent, ${online ? 'online: node listening, no wallet so no offer' : 'at rest (renting off)'}`,
      child,
    );
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function tray(executable: string): Promise<Figures> {
  const dir = freshDir([]);
  const child = spawn(executable, ['.', '--hidden', '--data-dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await sleep(5000);
    return await measure('desktop app in the tray, window closed', child);
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Figures[] = [];
for (const scenario of SCENARIOS) rows.push(await headless(scenario));
const electron = installedElectronPath();
if (electron) rows.push(await tray(electron));

console.log(
  `bench:footprint — Node ${process.version}, settle ${SETTLE_S} s, then ${QUIET_S} s sampled every 5 s (whole process tree)`,
);
console.table(
  rows.map((r) => ({
    what: r.what,
    processes: r.processes,
    'peak RSS (MB)': r.peakMB.toFixed(1),
    'mean RSS (MB)': r.meanMB.toFixed(1),
    'CPU (% of one core)': r.cpuPct.toFixed(2),
  })),
);
const rest = rows.find((r) => r.what.includes('at rest'));
if (rest)
  console.log(
    `Targets at rest: <= 120 MB (${rest.peakMB <= 120 ? 'met' : 'MISSED'}: ${rest.peakMB.toFixed(1)}), ` +
      `<= 0.3 % of one core (${rest.cpuPct <= 0.3 ? 'met' : 'MISSED'}: ${rest.cpuPct.toFixed(2)}).`,
  );
if (!electron)
  console.log(
    'Desktop app: skipped, there is no Electron binary on this machine (its download is not reachable here).',
  );

import { unwrap } from '../../../shared/envelope';
import type { ScheduleView } from '../../../shared/schemas/availability';
import { decideAvailability, NO_SIGNALS } from '../../availability/decide-availability';
import { createBatterySource } from '../../availability/signals/battery-source';
import { detectGames } from '../../availability/signals/detect-games';
import { createProcessLister } from '../../availability/signals/process-lister';
import { createProcessRunner } from '../../os/process-runner';
import { createCore } from '../../core/create-core';
import { resolveDataDir } from '../../data-dir/resolve-data-dir';
import { printData, UsageError, type CliIo } from '../cli-io';

export const availabilityHelp = `nocturne availability [--at ISO-8601] [--json]

Whether the GPU is for rent: { "available", "reasons", "nextChange" }.
Without --at: now, from the stored schedule, your settings and pause, and the signals this command can
see on its own (no user-idle time: only the running app knows it). With --at: the schedule alone at that
instant, e.g. --at 2026-03-29T01:30:00+01:00.`;

export async function availabilityCommand(
  values: { json?: boolean; 'data-dir'?: string; at?: string },
  io: CliIo,
): Promise<number> {
  let at: number | null = null;
  if (values.at !== undefined) {
    at = Date.parse(values.at);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(values.at) || Number.isNaN(at)) {
      throw new UsageError(
        `--at must be an ISO-8601 instant such as 2026-03-29T01:30:00Z, not "${values.at}".`,
      );
    }
  }
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env, platform: process.platform });
  const core = createCore({ dataDir, mode: 'headless', lock: false });
  try {
    let result: { available: boolean; reasons: string[]; nextChange: string | null; sentence: string };
    if (at !== null) {
      const schedule = unwrap(await core.router.call('schedule:get', {})) as ScheduleView;
      const decision = decideAvailability(NO_SIGNALS, schedule, { mode: 'schedule', idleMinutes: 0 }, at);
      result = {
        ...decision,
        nextChange: decision.nextChange === null ? null : new Date(decision.nextChange).toISOString(),
      };
    } else {
      // What this process can see by itself: running games and apps, and the battery.
      const processes = await createProcessLister(createProcessRunner(io.env)).list();
      core.availability.updateSignals({
        games: detectGames(processes, core.settings.get().ownGames),
        onBattery: await createBatterySource()(),
      });
      result = core.availability.view();
    }
    const { available, reasons, nextChange } = result;
    printData(io, values.json === true, { available, reasons, nextChange }, () => result.sentence);
    return 0;
  } finally {
    core.close();
  }
}

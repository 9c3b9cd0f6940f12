import type { GpuView } from '../../shared/schemas/gpu';

/** The cards the thermal guard holds paused or stopped, each in a sentence: "RTX 3090 is above 83 °C…". */
export function thermalHolds(views: readonly GpuView[]): string[] {
  return views
    .filter((v) => v.guard.phase === 'paused' || v.guard.phase === 'stopped')
    .map((v) => `${v.info.name} ${v.guard.sentence.charAt(0).toLowerCase()}${v.guard.sentence.slice(1)}`);
}

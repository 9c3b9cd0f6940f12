import type { GpuView } from './schemas/gpu';

/** The card rentals run on: the one with the most memory (the provider runs one rental at a time). */
export function rentalGpu(views: readonly GpuView[]): GpuView | null {
  let best: GpuView | null = null;
  for (const view of views)
    if ((view.info.memoryTotalMiB ?? 0) > (best?.info.memoryTotalMiB ?? -1)) best = view;
  return best;
}

/** The first-run setup, in order: each step is a section of `#/setup`, reachable again from Settings. */
export const SETUP_STEPS = [
  { id: 'gpu', title: 'Your GPU' },
  { id: 'benchmark', title: 'Measure it' },
  { id: 'schedule', title: 'When, and how hot' },
  { id: 'wallet', title: 'Your wallet' },
  { id: 'self-test', title: 'Check the sandbox' },
  { id: 'online', title: 'Go online' },
] as const;

export type SetupStepId = (typeof SETUP_STEPS)[number]['id'];

/** The step a section names; the first for none or an unknown one. */
export function stepFromSection(section: string | null): SetupStepId {
  return SETUP_STEPS.find((s) => s.id === section)?.id ?? SETUP_STEPS[0].id;
}

export function stepIndex(id: SetupStepId): number {
  return SETUP_STEPS.findIndex((s) => s.id === id);
}

export const nextStep = (id: SetupStepId) => SETUP_STEPS[stepIndex(id) + 1] ?? null;
export const previousStep = (id: SetupStepId) => SETUP_STEPS[stepIndex(id) - 1] ?? null;

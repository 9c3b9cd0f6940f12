import { useEffect, useRef, type ComponentType } from 'react';
import { PageHeader } from '../components/page-header';
import { StepBenchmark } from '../components/setup/step-benchmark';
import { StepGpu } from '../components/setup/step-gpu';
import { StepOnline } from '../components/setup/step-online';
import { StepSchedule } from '../components/setup/step-schedule';
import { StepSelfTest } from '../components/setup/step-self-test';
import { StepWallet } from '../components/setup/step-wallet';
import {
  nextStep,
  previousStep,
  SETUP_STEPS,
  stepFromSection,
  stepIndex,
  type SetupStepId,
} from '../components/setup/setup-steps';
import { hrefFor, useHashSection } from '../router/hash-route';

const STEP_VIEWS: Record<SetupStepId, ComponentType> = {
  gpu: StepGpu,
  benchmark: StepBenchmark,
  schedule: StepSchedule,
  wallet: StepWallet,
  'self-test': StepSelfTest,
  online: StepOnline,
};

/** The first-run setup: six steps, each saved as it is done, each reachable again from Settings. */
export function SetupPage() {
  const step = stepFromSection(useHashSection());
  const index = stepIndex(step);
  const View = STEP_VIEWS[step];
  const next = nextStep(step);
  const previous = previousStep(step);
  // A new step is a new page to a screen reader: move focus to its heading (not on the first paint).
  const shown = useRef(step);
  useEffect(() => {
    if (shown.current === step) return;
    shown.current = step;
    document.getElementById('setup-step-title')?.focus();
  }, [step]);
  return (
    <>
      <PageHeader title="Set up Nocturne">
        Six short steps. Nothing is sent anywhere until you choose to go online at the end.
      </PageHeader>
      <nav aria-label="Setup steps">
        <ol className="setup-steps">
          {SETUP_STEPS.map((s, i) => (
            <li
              key={s.id}
              className={i < index ? 'setup-steps__item setup-steps__item--done' : 'setup-steps__item'}
            >
              <a href={hrefFor('setup', s.id)} aria-current={s.id === step ? 'step' : undefined}>
                <span className="setup-steps__number" aria-hidden="true">
                  {i + 1}
                </span>
                {s.title}
              </a>
            </li>
          ))}
        </ol>
      </nav>
      <section
        className="panel setup-step"
        aria-labelledby="setup-step-title"
        data-testid={`setup-step-${step}`}
      >
        <h2 id="setup-step-title" className="panel__title" tabIndex={-1}>
          Step {index + 1} of {SETUP_STEPS.length}: {SETUP_STEPS[index]!.title}
        </h2>
        <View key={step} />
      </section>
      <div className="setup-nav">
        {previous ? (
          <a className="button" href={hrefFor('setup', previous.id)}>
            Back: {previous.title}
          </a>
        ) : (
          <span />
        )}
        {next ? (
          <a className="button button--primary" href={hrefFor('setup', next.id)}>
            Next: {next.title}
          </a>
        ) : null}
      </div>
    </>
  );
}

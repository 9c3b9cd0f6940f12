import { useLiveGpuList } from '../../hooks/use-live-gpu-list';

/** What Nocturne found: the cards renters would get, or why there are none. */
export function StepGpu() {
  const { source, withLiveReadings } = useLiveGpuList();
  if (source.data === undefined)
    return source.error ? (
      <p className="inline-error" role="alert">
        Couldn’t look for GPUs: {source.error.message}
      </p>
    ) : (
      <p role="status">Looking for GPUs…</p>
    );
  const { gpus: views, errors } = withLiveReadings(source.data);
  if (views.length === 0)
    return (
      <div data-testid="setup-gpus">
        <p>
          Nocturne found no GPU it can watch: neither nvidia-smi (NVIDIA) nor rocm-smi or amd-smi (AMD) is
          installed, or they see no card. Install your card’s driver and come back to this step.
        </p>
        {errors.map((e) => (
          <p key={e} className="inline-error">
            {e}
          </p>
        ))}
        <p className="field-hint">
          You can finish the setup anyway; renters are offered this machine only once a GPU is found.
        </p>
      </div>
    );
  return (
    <div data-testid="setup-gpus">
      <p>
        Nocturne found {views.length === 1 ? 'this card' : `these ${views.length} cards`}. It watches their
        temperature and load while you rent them out.
      </p>
      <ul className="setup-gpu-list">
        {views.map((v) => (
          <li key={v.info.id}>
            <strong>{v.info.name}</strong>
            {v.info.memoryTotalMiB !== null
              ? `, ${(v.info.memoryTotalMiB / 1024).toFixed(0)} GiB of memory`
              : ''}
            {v.info.driverVersion ? `, driver ${v.info.driverVersion}` : ''}
            {v.info.temperatureC !== null ? `, ${v.info.temperatureC} °C now` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What went wrong with the GPU tools, in the owner's words, as main reported it. */
export function GpuProbeErrors({ errors }: { errors: readonly string[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="panel panel--error gpu-probe-errors" role="alert">
      <p className="panel__text">{errors.length === 1 ? 'A GPU tool failed:' : 'Some GPU tools failed:'}</p>
      <ul className="gpu-probe-errors__list">
        {errors.map((error) => (
          <li key={error}>{error}</li>
        ))}
      </ul>
    </div>
  );
}

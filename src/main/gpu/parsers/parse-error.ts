/**
 * Thrown when a tool's output cannot be read as the format it claims to be. Callers show "could not
 * read the GPU list" instead of trusting half-read values: a misread column would put the wrong number
 * into a field, and a wrong utilization could make a busy GPU look idle.
 */
export class GpuParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuParseError';
  }
}

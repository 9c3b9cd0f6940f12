import type { ProcessRunner } from '../../os/process-runner';
import { createBubblewrapBackend, type BubblewrapBackendOptions } from './bubblewrap';
import { createContainerBackend } from './podman';
import type { SandboxBackend, SandboxKind } from './sandbox-backend';

export interface SandboxTry {
  kind: SandboxKind;
  ok: boolean;
  reason: string;
}

export interface DetectSandboxResult {
  /** The backend for jobs without an image (bubblewrap), or null: the runner refuses jobs with `reason`. */
  backend: SandboxBackend | null;
  reason: string;
  /** For jobs that name an image: podman, else docker, where one is installed and answers. */
  imageBackend: SandboxBackend | null;
  imageReason: string;
  tried: SandboxTry[];
}

export interface DetectSandboxOptions {
  platform?: NodeJS.Platform;
  /** Passed to the bubblewrap backend (tests: limit mechanism, maxProcesses, temp root). */
  bubblewrap?: Omit<BubblewrapBackendOptions, 'runner'>;
  /** Look for podman and docker too (default true). They are only ever used for image jobs. */
  containers?: boolean;
}

const NOT_LINUX: Partial<Record<NodeJS.Platform, string>> = {
  win32:
    'jobs run only on Linux for now; on Windows they will run in a WSL2 distribution with bubblewrap, or ' +
    'in Hyper-V isolated containers',
  darwin:
    'jobs run only on Linux for now; on macOS they will run in a Virtualization.framework VM, once a VM ' +
    'can use the GPU (there is no Metal passthrough yet)',
};

/**
 * Finds the sandbox jobs run in. Linux: bubblewrap, checked by really making the namespaces a plan uses
 * (user namespaces can be switched off). Podman or docker only serve jobs that name an image.
 * Where nothing works, `reason` says so in words the owner can act on.
 */
export async function detectSandbox(
  runner: ProcessRunner,
  options: DetectSandboxOptions = {},
): Promise<DetectSandboxResult> {
  const platform = options.platform ?? process.platform;
  const tried: SandboxTry[] = [];

  if (platform !== 'linux') {
    const why = NOT_LINUX[platform] ?? `jobs run only on Linux for now (this is ${platform})`;
    return {
      backend: null,
      reason: `No sandbox is available: ${why}.`,
      imageBackend: null,
      imageReason: `No sandbox is available: ${why}.`,
      tried,
    };
  }

  const bwrap = createBubblewrapBackend({ runner, ...options.bubblewrap });
  const b = await bwrap.available();
  tried.push({ kind: 'bubblewrap', ok: b.ok, reason: b.reason });

  let imageBackend: SandboxBackend | null = null;
  let imageReason = 'No sandbox for image jobs: neither podman nor docker is installed (apt install podman)';
  if (options.containers !== false) {
    for (const engine of ['podman', 'docker'] as const) {
      if (!runner.which(engine)) continue;
      const backend = createContainerBackend({
        runner,
        engine,
        maxProcesses: options.bubblewrap?.maxProcesses,
      });
      const r = await backend.available();
      tried.push({ kind: engine, ok: r.ok, reason: r.reason });
      if (r.ok) {
        imageBackend = backend;
        imageReason = `Image jobs run in ${r.reason}`;
        break;
      }
      imageReason = `No sandbox for image jobs: ${r.reason}`;
    }
  }

  return {
    backend: b.ok ? bwrap : null,
    reason: b.ok ? `Jobs run in ${b.reason}` : `No sandbox is available: ${b.reason}.`,
    imageBackend,
    imageReason,
    tried,
  };
}

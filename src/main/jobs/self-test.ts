import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import type { JobSpec } from '../../shared/schemas/job';

/**
 * The self-test: a real job through the real path (bundle, sandbox, pty, logs) whose script checks from
 * the inside what the owner is promised, and prints a verdict per check in words.
 */
const SCRIPT = `#!/bin/sh
pass=0; fail=0
ok() { echo "PASS  $1"; pass=$((pass+1)); }
bad() { echo "FAIL  $1"; fail=$((fail+1)); }
echo "Nocturne self-test, inside the sandbox as uid $(id -u)"
[ "$(id -u)" != "0" ] && ok "runs as an unprivileged user" || bad "runs as root"
cat /etc/shadow >/dev/null 2>&1 && bad "can read /etc/shadow" || ok "cannot read /etc/shadow"
touch /usr/nocturne-selftest 2>/dev/null && bad "can write to /usr" || ok "cannot write outside its folder"
echo probe > ./written && ok "can write in its own folder" || bad "cannot write in its own folder"
[ -e /root ] && ls /root >/dev/null 2>&1 && bad "can see /root" || ok "cannot see the owner's home"
n=$(ls /proc | grep -c '^[0-9]')
[ "$n" -lt 20 ] && ok "sees only its own processes ($n)" || bad "sees $n processes"
if ls /dev/nvidia* /dev/dri/renderD* >/dev/null 2>&1; then ok "the GPU is visible inside: $(ls /dev/nvidia* /dev/dri/renderD* 2>/dev/null | tr '\\n' ' ')"
elif [ "$EXPECT_GPU" = "1" ]; then bad "the GPU is not visible inside"
else echo "INFO  no GPU device node inside (this machine has none)"; fi
for i in 1 2 3; do echo "log line $i"; sleep 0.2; done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
`;

/**
 * Writes the self-test bundle into `dir` and returns the spec that runs it. On a machine with a GPU the job
 * asks for one, as a renter's would, and fails if its device node is not visible inside the sandbox.
 */
export async function prepareSelfTest(
  dir: string,
  options: { hasGpu: boolean } = { hasGpu: false },
): Promise<{ spec: JobSpec; bundlePath: string }> {
  mkdirSync(dir, { recursive: true });
  const bundlePath = join(dir, 'self-test.tar.gz');
  const pack = tar.pack();
  pack.entry({ name: 'self-test.sh', mode: 0o755 }, SCRIPT);
  pack.finalize();
  await pipeline(pack, createGzip(), createWriteStream(bundlePath));
  const hash = createHash('sha256');
  await pipeline(createReadStream(bundlePath), hash);
  return {
    bundlePath,
    spec: {
      version: 1,
      name: 'Self-test',
      bundle: { path: 'self-test.tar.gz', sha256: hash.digest('hex') },
      command: ['/bin/sh', './self-test.sh'],
      env: options.hasGpu ? { EXPECT_GPU: '1' } : {},
      resources: { gpus: options.hasGpu ? 1 : 0, memoryMiB: 256, cpus: 1, diskMiB: 64, maxSeconds: 60 },
      network: 'none',
      outputs: [],
    },
  };
}

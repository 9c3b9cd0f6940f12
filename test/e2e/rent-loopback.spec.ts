import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { formatUnits, Wallet } from 'ethers';
import { expect, test } from '@playwright/test';
import { fakeNvidiaEnv } from '../fakes/fake-nvidia-smi';
import { writeJob } from '../fakes/job-bundle';
import {
  importWallet,
  nocturneOk,
  runNocturne,
  startDevnetProcess,
  startNocturne,
  TOKEN_DECIMALS,
  type Devnet,
  type LongProcess,
} from '../fakes/market-processes';

// The whole market on loopback, every part its own process: a devnet, a provider (`nocturne serve`, with one
// recorded RTX 3090 behind a fake nvidia-smi) and a renter (`nocturne rent`). The renter finds the provider's
// offer in the registry, opens the escrow, runs a job in the provider's sandbox, pays by vouchers and gets its
// outputs; the provider settles, and its UI shows the earning.
test.describe.configure({ timeout: 240_000 });

const PASSWORD = 'correct horse battery staple';

let root: string;
let devnet: Devnet;
let provider: LongProcess | null = null;

test.beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'nocturne-rent-e2e-'));
  devnet = await startDevnetProcess(join(root, 'chain'));
});

test.afterEach(async () => {
  await provider?.stop();
  provider = null;
  await devnet.stop();
  rmSync(root, { recursive: true, force: true });
});

test('a renter rents this machine over loopback: job, vouchers, outputs, settlement, and the earning in the UI', async ({
  page,
}) => {
  const providerDir = join(root, 'provider');
  const renterDir = join(root, 'renter');
  const providerKey = Wallet.createRandom();
  const renterKey = Wallet.createRandom();
  const env = { NOCTURNE_DEVNET_PORT: String(devnet.port), NOCTURNE_P2P_LOOPBACK: '1' };
  const gpu = fakeNvidiaEnv(mkdtempSync(join(root, 'gpu-')), 'A10.');

  // The provider: a wallet with gas, for rent all week, online at 0.36 tUSD an hour (100 base units a second).
  await importWallet(providerDir, providerKey.privateKey, PASSWORD);
  await devnet.fund(providerKey.address, '1', '0');
  await nocturneOk(providerDir, ['schedule', 'set', '--preset', 'always']);
  await nocturneOk(providerDir, ['settings', 'set', 'p2pPort', '0']);
  await nocturneOk(providerDir, ['settings', 'set', 'setupDone', 'true']);
  await nocturneOk(providerDir, ['settings', 'set', 'offerPricePerHour', '"0.36"']);
  await nocturneOk(providerDir, ['settings', 'set', 'providerOnline', 'true']);
  provider = startNocturne(['serve', '--port', '0', '--data-dir', providerDir], {
    ...env,
    ...gpu,
    PATH: `${gpu.PATH}${delimiter}${process.env.PATH}`,
    NOCTURNE_PASSWORD: PASSWORD,
  });
  const [url] = await provider.waitFor(/http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/);

  // The renter: funds, and a job whose output file proves it ran in the sandbox with the bundle's data.
  await importWallet(renterDir, renterKey.privateKey, PASSWORD);
  await devnet.fund(renterKey.address, '1', '100');
  const jobDir = join(root, 'job');
  mkdirSync(jobDir);
  const specPath = await writeJob(
    jobDir,
    {
      'run.sh':
        '#!/bin/sh\necho "hello from the provider"\nmkdir -p out\nsha256sum data.txt > out/sum.txt\n' +
        'cp data.txt out/copy.txt\nsleep 3\necho done\n',
      'data.txt': 'renter data '.repeat(1000),
    },
    { command: ['./run.sh'], outputs: ['out'], resources: { maxSeconds: 60 } },
  );

  // The offer is in the registry once the provider has published it.
  await expect
    .poll(
      async () =>
        (await runNocturne(['market', 'offers', '--json', '--data-dir', renterDir], { env })).stdout,
      { timeout: 60_000, intervals: [1000] },
    )
    .toContain('"available": true');

  const before = {
    renter: await devnet.tokenBalance(renterKey.address),
    provider: await devnet.tokenBalance(providerKey.address),
  };
  const outDir = join(root, 'outputs');
  const rent = await runNocturne(
    ['rent', specPath, '--network', 'devnet', '--json', '--out', outDir, '--data-dir', renterDir],
    { env: { ...env, NOCTURNE_PASSWORD: PASSWORD }, timeoutMs: 150_000 },
  );
  expect(rent.code, `${rent.stdout}\n${rent.stderr}`).toBe(0);
  const result = JSON.parse(rent.stdout) as { paid: string; status: string; outputs: string };
  expect(result.status).toBe('succeeded');
  expect(rent.stderr).toContain('hello from the provider');

  // Outputs intact: the provider's sandbox hashed the bundle's data, and the copy is byte for byte.
  const data = 'renter data '.repeat(1000);
  expect(readFileSync(join(outDir, 'out', 'copy.txt'), 'utf8')).toBe(data);
  expect(readFileSync(join(outDir, 'out', 'sum.txt'), 'utf8')).toMatch(/^[0-9a-f]{64} {2}data\.txt\n$/);

  // Settlement: the provider gets exactly what was signed, the renter pays exactly that (the rest of the
  // deposit comes back when the provider finishes the job).
  const paid = BigInt(result.paid);
  expect(paid).toBeGreaterThan(0n);
  await expect
    .poll(async () => (await devnet.tokenBalance(providerKey.address)) - before.provider, { timeout: 60_000 })
    .toBe(paid);
  await expect
    .poll(async () => before.renter - (await devnet.tokenBalance(renterKey.address)), { timeout: 60_000 })
    .toBe(paid);

  // The UI: the rental on the Jobs page, today's earnings on the Dashboard.
  await page.goto(url);
  await page.getByRole('link', { name: 'Jobs' }).click();
  const rentals = page.getByRole('region', { name: 'Rentals' });
  await expect(rentals).toContainText(renterKey.address.slice(0, 6));
  await expect(rentals).toContainText(/settled/i);
  // Earned and redeemed: both the signed amount, in the network's token.
  await expect(rentals).toContainText(`${formatUnits(paid, TOKEN_DECIMALS)} tUSD`);
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByTestId('dashboard-earnings')).toContainText('tUSD');

  // The Earnings page from the same ledger: today's signed amount, the chart's bar for today (at the
  // default rate of 1 USD a token), and the job's row, settled, naming the transaction that paid it.
  const earned = formatUnits(paid, TOKEN_DECIMALS);
  await page.getByRole('link', { name: 'Earnings', exact: true }).click();
  await expect(page.getByTestId('earnings-period-today')).toContainText(`${earned} tUSD on Local devnet`);
  const today = page.getByTestId('earnings-day').last();
  await expect
    .poll(async () => Number(await today.getAttribute('data-earned')))
    .toBeCloseTo(Number(earned), 9);
  await expect(page.getByTestId('earnings-chart').getByRole('img')).toHaveAccessibleName(/^Earned \$/);
  const job = page.getByTestId('earnings-job').filter({ hasText: renterKey.address.slice(0, 6) });
  await expect(job).toHaveAttribute('data-payment', 'settled');
  await expect(job.getByTestId('earnings-tx')).toHaveText(/^0x[0-9a-f]{4}…[0-9a-f]{4}$/);
});

import { expect, test } from './serve-fixture';

// The provider node listens on loopback only, without UPnP, in tests.
test.use({ serveEnv: { NOCTURNE_P2P_LOOPBACK: '1', NOCTURNE_DEVNET_PORT: '0' } });

test('going online in Settings starts the provider node; the Dashboard shows its address', async ({
  page,
  served,
}) => {
  await page.goto(served.url);
  await expect(page.getByTestId('dashboard-market')).toContainText('Offline');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Peer-to-peer port (WebSockets on the next one; 0: any free port)').fill('0');
  await page.getByLabel('Price per GPU hour, in the network’s payment token').fill('abc');
  const relays = page.getByLabel(/^Relays to reach this machine through/);
  await relays.fill('/ip4/203.0.113.7/tcp/4001');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('#settings-offerPricePerHour-error')).toContainText(
    'must be a price such as 0.5',
  );
  // A relay without its peer id is refused, quoted in the message under the list.
  await expect(page.locator('#settings-p2pRelays-error')).toContainText(
    '"/ip4/203.0.113.7/tcp/4001" must end in /p2p/ and the relay\'s peer id',
  );
  await expect(relays).toHaveAttribute('aria-invalid', 'true');
  await relays.fill('');
  await page.getByLabel('Price per GPU hour, in the network’s payment token').fill('0.75');
  await page.getByLabel('Go online: let renters reach this machine and ask for prices').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved' })).toBeVisible();

  await page.getByRole('link', { name: 'Dashboard' }).click();
  const market = page.getByTestId('dashboard-market');
  await expect(market).toContainText('Online: renters can reach this machine');
  await expect(market).toContainText(/\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3Koo/);
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HDNodeWallet } from 'ethers';
import type { Page } from '@playwright/test';
import { expect, test } from './serve-fixture';

// The embedded devnet listens on a free port, so tests never clash with a devnet already running.
test.use({ serveEnv: { NOCTURNE_DEVNET_PORT: '0' } });
// Each password check is a scrypt (N = 2^17) in main; the second test does eight.
test.describe.configure({ timeout: 120_000 });

/** Creating a wallet runs scrypt (N = 2^17) in main: give it time on a slow machine. */
const SCRYPT_TIMEOUT = 30_000;

async function openWallet(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('link', { name: 'Wallet' }).click();
}

/** Creates a wallet through the UI and returns the 12 words it showed (the backup screen stays open). */
async function createWallet(page: Page, password: string): Promise<string[]> {
  const create = page.getByRole('form', { name: 'Create a new wallet' });
  await create.getByLabel('Password', { exact: true }).fill(password);
  await create.getByLabel('Repeat password', { exact: true }).fill(password);
  await create.getByRole('button', { name: 'Create wallet' }).click();
  const list = page.getByRole('list', { name: 'Recovery phrase' });
  await expect(list.getByRole('listitem')).toHaveCount(12, { timeout: SCRYPT_TIMEOUT });
  const words = (await list.getByRole('listitem').allTextContents()).map((w) => w.trim());
  for (const word of words) expect(word).toMatch(/^[a-z]{3,8}$/);
  return words;
}

/** What the page's globals look like to code passed to page.evaluate (this file compiles without DOM types). */
interface PageGlobals {
  document: { documentElement: { outerHTML: string } };
  localStorage: { length: number; key: (i: number) => string | null; getItem: (k: string) => string | null };
  sessionStorage: PageGlobals['localStorage'];
}

const pageHtml = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.outerHTML);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every lower-case word in a text. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+/g) ?? [];
}

/**
 * The words the UI itself may show (its bundle, including libraries, and what main says about networks
 * and the wallet): a phrase word that is also one of these ("wallet", "local") proves nothing when found.
 */
async function uiVocabulary(page: Page): Promise<Set<string>> {
  const vocabulary = new Set<string>();
  const root = 'out/renderer';
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(js|html|css)$/.test(name))
        for (const w of wordsOf(readFileSync(path, 'utf8'))) vocabulary.add(w);
    }
  };
  walk(root);
  const fromMain = await page.evaluate(async () => {
    const call = (channel: string) =>
      fetch(`/api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }).then((r) => r.text());
    return (await Promise.all([call('network:list'), call('wallet:status'), call('settings:get')])).join(' ');
  });
  for (const w of wordsOf(fromMain)) vocabulary.add(w);
  return vocabulary;
}

interface Secrets {
  words: string[];
  phrase: string;
  password: string;
  privateKeyHex: string;
}

/** What of the secrets a text gives away, in words (empty when nothing). */
function leaksIn(text: string, secrets: Secrets, vocabulary: Set<string> | null): string[] {
  const found: string[] = [];
  const lower = text.toLowerCase();
  if (lower.includes(secrets.phrase)) found.push('the phrase');
  if (text.includes(secrets.password)) found.push('the password');
  if (lower.includes(secrets.privateKeyHex)) found.push('the private key');
  // The words in order, whatever separates them (spaces, numbers, tags between list items).
  const gap = '(?:[^a-z<]|<[^>]*>)+';
  const sequence = new RegExp(`\\b${secrets.words.map(escapeRegExp).join(gap)}\\b`, 'i');
  if (sequence.test(text)) found.push('the words in order');
  if (vocabulary) {
    for (const word of new Set(secrets.words)) {
      if (vocabulary.has(word)) continue;
      if (new RegExp(`\\b${escapeRegExp(word)}\\b`, 'i').test(text)) found.push(`the word "${word}"`);
    }
  }
  return found;
}

/** Every file in the data directory (database, WAL, log, keystore, devnet state), as latin1 text. */
function dataFiles(dataDir: string): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat) continue; // removed while we looked (a WAL checkpoint)
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile() && stat.size < 64 * 1024 * 1024)
        files.push({ path: relative(dataDir, path), text: readFileSync(path).toString('latin1') });
    }
  };
  walk(dataDir);
  return files;
}

test('a wallet is created through the UI, its backup confirmed, and no key material is left behind', async ({
  page,
  served,
}) => {
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(message.text()));
  const password = 'Nocturne e2e pass-7319!';

  await openWallet(page, served.url);
  await expect(page.getByRole('form', { name: 'Import a wallet' })).toBeVisible();
  const words = await createWallet(page, password);
  const phrase = words.join(' ');
  // The words shown are the wallet's own: they derive the address the page shows next.
  const derived = HDNodeWallet.fromPhrase(phrase);
  const secrets: Secrets = {
    words,
    phrase,
    password,
    privateKeyHex: derived.privateKey.slice(2).toLowerCase(),
  };
  await expect(page.getByRole('note')).toContainText('write these 12 words down on paper', {
    ignoreCase: true,
  });
  // The detector below does find the words while they are on screen (so its silence later means something).
  const vocabulary = await uiVocabulary(page);
  expect(leaksIn(await pageHtml(page), secrets, vocabulary)).toContain('the words in order');

  await page.getByRole('button', { name: 'I have written them down' }).click();
  // Gone from the page at once, before the questions.
  await expect(page.getByRole('list', { name: 'Recovery phrase' })).toHaveCount(0);
  const labels = page.locator('label').filter({ hasText: /^Word #\d+$/ });
  await expect(labels).toHaveCount(3);
  const asked = (await labels.allTextContents()).map((text) => Number(/\d+/.exec(text)![0]));
  expect(new Set(asked).size).toBe(3);

  // A wrong word is refused inline, and the owner can try again.
  const quiz = page.getByRole('form', { name: 'Check your recovery phrase' });
  const [first, second, third] = asked as [number, number, number];
  const wrong = words[first - 1] === 'zoo' ? 'abandon' : 'zoo';
  await quiz.getByLabel(`Word #${first}`, { exact: true }).fill(wrong);
  await quiz.getByLabel(`Word #${second}`, { exact: true }).fill(words[second - 1]!);
  await quiz.getByLabel(`Word #${third}`, { exact: true }).fill(words[third - 1]!);
  await quiz.getByRole('button', { name: 'Confirm backup' }).click();
  await expect(quiz.getByText(`Word ${first} does not match`)).toBeVisible();
  await expect(quiz.getByLabel(`Word #${first}`, { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await quiz.getByLabel(`Word #${first}`, { exact: true }).fill(words[first - 1]!.toUpperCase());
  await quiz.getByRole('button', { name: 'Confirm backup' }).click();

  const address = page.getByTestId('wallet-address');
  await expect(address).toHaveText(/^0x[0-9a-fA-F]{40}$/);
  await expect(address).toHaveText(derived.address);
  const qr = page.getByRole('img', { name: 'QR code of your address' });
  await expect(qr).toHaveAttribute('src', /^data:image\/svg\+xml/);
  expect(
    await qr.evaluate((img) => {
      const image = img as unknown as { complete: boolean; naturalWidth: number };
      return image.complete && image.naturalWidth > 0;
    }),
  ).toBe(true);
  await expect(page.getByText('Your recovery phrase is not confirmed')).toHaveCount(0);
  await expect(page.getByTestId('wallet-lock-state')).toHaveText('Unlocked');
  await expect(page.getByRole('heading', { name: 'Balances' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/wallet.png', fullPage: true });

  // Nothing of the phrase, the key or the password is left in the page, its storage or its URL...
  const html = await pageHtml(page);
  const storage = await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const entries = (store: PageGlobals['localStorage']) =>
      Array.from({ length: store.length }, (_, i) => {
        const key = store.key(i) ?? '';
        return [key, store.getItem(key)];
      });
    return JSON.stringify([entries(g.localStorage), entries(g.sessionStorage)]);
  });
  expect(leaksIn(html, secrets, vocabulary), 'in the page').toEqual([]);
  expect(leaksIn(storage, secrets, vocabulary), 'in web storage').toEqual([]);
  expect(leaksIn(page.url(), secrets, vocabulary), 'in the URL').toEqual([]);
  expect(leaksIn(consoleLines.join('\n'), secrets, vocabulary), 'in the console').toEqual([]);
  expect(leaksIn(served.output(), secrets, null), "in the server's output").toEqual([]);

  // ...nor in the data directory: the log, the SQLite file and its WAL, or anything else written there.
  const files = dataFiles(served.dataDir);
  const names = files.map((f) => f.path);
  expect(names).toContain('nocturne.sqlite');
  expect(names).toContain(join('logs', 'nocturne.log'));
  for (const file of files) {
    expect(leaksIn(file.text, secrets, null), `in ${file.path}`).toEqual([]);
  }
});

test('a wrong password keeps the wallet locked, and the send form shows bad input inline', async ({
  page,
  served,
}) => {
  const password = 'second e2e pass-4471';
  await openWallet(page, served.url);
  await createWallet(page, password);

  // Leaving in the middle of the backup: the wallet exists, with its phrase not confirmed.
  await page.reload();
  await expect(page.getByText('Your recovery phrase is not confirmed')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Recovery phrase' })).toHaveCount(0);
  const address = (await page.getByTestId('wallet-address').textContent())!;
  expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);

  const lockState = page.getByTestId('wallet-lock-state');
  await expect(lockState).toHaveText('Unlocked');
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(lockState).toHaveText('Locked');

  const send = page.getByRole('region', { name: 'Send' });
  await expect(send).toContainText('Your wallet is locked');
  await expect(send.getByRole('form', { name: 'Send a payment' })).toHaveCount(0);
  const unlock = send.getByRole('form', { name: 'Unlock the wallet' });
  // serve has no OS keychain: the option is there, disabled, with the reason.
  const remember = unlock.getByLabel('Remember on this device');
  await expect(remember).toBeDisabled();

  await unlock.getByLabel('Password', { exact: true }).fill('not the password');
  await unlock.getByRole('button', { name: 'Unlock' }).click();
  await expect(unlock.getByText('Wrong password.')).toBeVisible({ timeout: SCRYPT_TIMEOUT });
  await expect(unlock.getByLabel('Password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(lockState).toHaveText('Locked');
  await expect(send.getByRole('form', { name: 'Send a payment' })).toHaveCount(0);

  await unlock.getByLabel('Password', { exact: true }).fill(password);
  await unlock.getByRole('button', { name: 'Unlock' }).click();
  await expect(lockState).toHaveText('Unlocked', { timeout: SCRYPT_TIMEOUT });

  // The balances come from the embedded devnet: a new wallet holds nothing.
  const balances = page.getByRole('region', { name: 'Balances' });
  await expect(balances.getByRole('combobox', { name: 'Network' })).toHaveValue('devnet');
  await expect(balances).toContainText('Chain ID');
  await expect(balances.locator('[data-asset="native"]')).toContainText('0.0 ETH', {
    timeout: SCRYPT_TIMEOUT,
  });
  await expect(balances.locator('[data-asset="token"]')).toContainText('0.0 tUSD');

  const form = send.getByRole('form', { name: 'Send a payment' });
  const recipient = form.getByLabel('Recipient');
  const amount = form.getByLabel('Amount');
  const review = form.getByRole('button', { name: 'Review' });

  // Not an address at all: main's check of the request, shown under the field.
  await recipient.fill('0x1234');
  await amount.fill('1');
  await review.click();
  await expect(form.getByText('The recipient must be an address')).toBeVisible();
  await expect(recipient).toHaveAttribute('aria-invalid', 'true');

  // A mistyped checksum: one letter's case flipped.
  const at = address.slice(2).search(/[a-fA-F]/) + 2;
  const flipped = address[at]!;
  const badChecksum =
    address.slice(0, at) +
    (flipped === flipped.toUpperCase() ? flipped.toLowerCase() : flipped.toUpperCase()) +
    address.slice(at + 1);
  await recipient.fill(badChecksum);
  await review.click();
  await expect(form.getByText(/wrong checksum/)).toBeVisible();
  await expect(recipient).toHaveAttribute('aria-invalid', 'true');

  // The zero address.
  await recipient.fill(`0x${'0'.repeat(40)}`);
  await review.click();
  await expect(form.getByText(/zero address/)).toBeVisible();

  // An amount finer than the token's 6 decimals, to a good address.
  await recipient.fill('0x000000000000000000000000000000000000dEaD');
  await form.getByLabel('Asset').selectOption('token');
  await amount.fill('1.1234567');
  await review.click();
  await expect(form.getByText(/more than 6 decimal places/)).toBeVisible();
  await expect(amount).toHaveAttribute('aria-invalid', 'true');
  await expect(recipient).not.toHaveAttribute('aria-invalid', 'true');

  // More than the (empty) balance: refused before anything is priced or signed.
  await amount.fill('1');
  await review.click();
  await expect(form.getByText(/more than your balance/)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Check the payment' })).toHaveCount(0);

  await expect(page.getByRole('region', { name: 'Transactions' })).toContainText('No payments');

  // Security: the phrase again behind the password, until Hide; then a new password.
  const security = page.getByRole('region', { name: 'Security' });
  await expect(security).toContainText('locks itself after');
  const show = security.getByRole('form', { name: 'Show recovery phrase' });
  await show.getByLabel('Password', { exact: true }).fill('not the password');
  await show.getByRole('button', { name: 'Show recovery phrase' }).click();
  await expect(show.getByText('Wrong password.')).toBeVisible({ timeout: SCRYPT_TIMEOUT });
  await show.getByLabel('Password', { exact: true }).fill(password);
  await show.getByRole('button', { name: 'Show recovery phrase' }).click();
  const shown = security.getByRole('list', { name: 'Recovery phrase' });
  await expect(shown.getByRole('listitem')).toHaveCount(12, { timeout: SCRYPT_TIMEOUT });
  await security.getByRole('button', { name: 'Hide' }).click();
  await expect(shown).toHaveCount(0);

  const change = security.getByRole('form', { name: 'Change password' });
  await change.getByLabel('Current password').fill('not the password');
  await change.getByLabel('New password', { exact: true }).fill('a new password 1');
  await change.getByLabel('Repeat new password').fill('a new password 2');
  await change.getByRole('button', { name: 'Change password' }).click();
  await expect(change.getByText('The two passwords are not the same.')).toBeVisible();
  await change.getByLabel('Repeat new password').fill('a new password 1');
  await change.getByRole('button', { name: 'Change password' }).click();
  await expect(change.getByText('Wrong password.')).toBeVisible({ timeout: SCRYPT_TIMEOUT });
  await expect(change.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true');
  await change.getByLabel('Current password').fill(password);
  await change.getByLabel('New password', { exact: true }).fill('a new password 1');
  await change.getByLabel('Repeat new password').fill('a new password 1');
  await change.getByRole('button', { name: 'Change password' }).click();
  await expect(change.getByRole('status')).toHaveText('Password changed', { timeout: SCRYPT_TIMEOUT });
});

test('a backup left half done is finished later, and a payment sent from the page confirms and moves the balance', async ({
  page,
  served,
}) => {
  const password = 'third e2e pass-2084';
  await openWallet(page, served.url);
  const words = await createWallet(page, password);
  await page.reload();

  // "Back up now" asks the password, then shows the words once and asks three of them, as at creation.
  const reminder = page.getByRole('note').filter({ hasText: 'Your recovery phrase is not confirmed' });
  await reminder.getByLabel('Password', { exact: true }).fill('wrong password here');
  await reminder.getByRole('button', { name: 'Back up now' }).click();
  await expect(reminder.getByText('Wrong password.')).toBeVisible({ timeout: SCRYPT_TIMEOUT });
  await reminder.getByLabel('Password', { exact: true }).fill(password);
  await reminder.getByRole('button', { name: 'Back up now' }).click();
  const list = page.getByRole('list', { name: 'Recovery phrase' });
  await expect(list.getByRole('listitem')).toHaveCount(12, { timeout: SCRYPT_TIMEOUT });
  expect((await list.getByRole('listitem').allTextContents()).map((w) => w.trim())).toEqual(words);
  await page.getByRole('button', { name: 'I have written them down' }).click();
  const quiz = page.getByRole('form', { name: 'Check your recovery phrase' });
  const labels = quiz.locator('label').filter({ hasText: /^Word #\d+$/ });
  await expect(labels).toHaveCount(3);
  for (const text of await labels.allTextContents()) {
    const position = Number(/\d+/.exec(text)![0]);
    await quiz.getByLabel(`Word #${position}`, { exact: true }).fill(words[position - 1]!);
  }
  await quiz.getByRole('button', { name: 'Confirm backup' }).click();
  await expect(page.getByTestId('wallet-address')).toBeVisible();
  await expect(page.getByText('Your recovery phrase is not confirmed')).toHaveCount(0);

  // Test funds from the devnet, then a payment of 12.5 tUSD reviewed, confirmed and mined.
  const balances = page.getByRole('region', { name: 'Balances' });
  await balances.getByRole('button', { name: 'Get test funds' }).click();
  await expect(balances.locator('[data-asset="token"]')).toContainText('1000.0 tUSD', { timeout: 20_000 });
  await expect(balances.locator('[data-asset="native"]')).toContainText('10.0 ETH');

  const send = page.getByRole('region', { name: 'Send' });
  const form = send.getByRole('form', { name: 'Send a payment' });
  await form.getByLabel('Asset').selectOption('token');
  await form.getByLabel('Recipient').fill('0x90F79bf6EB2c4f870365E785982E1f101E93b906');
  await form.getByLabel('Amount').fill('12.5');
  await form.getByRole('button', { name: 'Review' }).click();
  const review = send.getByRole('region', { name: 'Check the payment' });
  await expect(review).toContainText('12.5 tUSD');
  await expect(review).toContainText('0x90F79bf6EB2c4f870365E785982E1f101E93b906');
  await expect(review).toContainText(/Maximum fee\s*0\.\d+ ETH/);
  await review.getByRole('button', { name: 'Confirm' }).click();

  const transactions = page.getByRole('region', { name: 'Transactions' });
  const row = transactions.locator('tbody tr').first();
  await expect(row).toHaveAttribute('data-status', 'confirmed', { timeout: 20_000 });
  await expect(row).toContainText('12.5 tUSD');
  await expect(balances.locator('[data-asset="token"]')).toContainText('987.5 tUSD');
});

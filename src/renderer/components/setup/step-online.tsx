import { useState } from 'react';
import { api } from '../../api';
import type { ProviderNodeStatus } from '../../../shared/schemas/market';
import type { Settings } from '../../../shared/schemas/settings';
import { slotsToWindows } from '../../../shared/schedule/windows';
import { toError, useApiData } from '../../hooks/use-api-data';
import { hrefFor } from '../../router/hash-route';
import { nodeStateWords } from '../../format/node-words';

const loadSettings = () => api.settingsGet();
const pushSettings = (listener: (settings: Settings) => void) => api.onSettingsChanged(listener);
const loadSchedule = () => api.scheduleGet();
const loadWallet = () => api.walletStatus();
const loadNetworks = () => api.networkList();
const loadNode = () => api.marketStatus();
const pushNode = (listener: (status: ProviderNodeStatus) => void) => api.onMarketStatusChanged(listener);

/**
 * The last step, and the first time anything leaves this computer: going online starts the peer-to-peer
 * node and publishes the offer. Until then the setup has only measured, saved and tested locally.
 */
export function StepOnline() {
  const settings = useApiData(loadSettings, pushSettings);
  const schedule = useApiData(loadSchedule);
  const wallet = useApiData(loadWallet);
  const node = useApiData(loadNode, pushNode);
  const networks = useApiData(loadNetworks);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const s = settings.data;
  if (!s || !schedule.data || !wallet.data) return <p role="status">Loading…</p>;

  const finish = async (online: boolean) => {
    setBusy(true);
    setError(null);
    try {
      settings.setData(
        await api.settingsUpdate({ setupDone: true, ...(online ? { providerOnline: true } : {}) }),
      );
    } catch (e) {
      setError(toError(e).message);
    } finally {
      setBusy(false);
    }
  };
  const windows = slotsToWindows(schedule.data.slots);
  const network = networks.data?.networks.find((n) => n.selected);
  const symbol = network?.token?.symbol ?? 'payment tokens';
  const status = node.data;
  return (
    <div data-testid="setup-online">
      <dl className="facts">
        <div className="facts__item">
          <dt>Price</dt>
          <dd>
            {s.offerPricePerHour} {symbol} per GPU hour on {network?.name ?? 'the selected network'}, jobs up
            to {s.offerMaxHours} h (<a href={hrefFor('settings')}>Settings</a>)
          </dd>
        </div>
        <div className="facts__item">
          <dt>Hours</dt>
          <dd>
            {windows.length > 0 ? windows.join(', ') : 'none yet'} ({schedule.data.timezone})
          </dd>
        </div>
        <div className="facts__item">
          <dt>Paid into</dt>
          <dd>
            {wallet.data.address ? (
              <code className="wallet-hex">{wallet.data.address}</code>
            ) : (
              'no wallet yet'
            )}
            {wallet.data.locked && wallet.data.exists ? ' (locked: unlock it on the Wallet page)' : ''}
          </dd>
        </div>
      </dl>
      <label className="field field--check">
        <input
          type="checkbox"
          checked={s.keepWalletUnlockedOnline}
          onChange={(e) =>
            void api
              .settingsUpdate({ keepWalletUnlockedOnline: e.target.checked })
              .then(settings.setData, (x: unknown) => setError(toError(x).message))
          }
        />
        Keep the wallet unlocked while renting is on, so it can sign quotes and collect payments overnight
      </label>
      {status && s.providerOnline ? (
        <div className="setup-online" role="status" data-testid="setup-node" data-state={status.state}>
          <p>
            <strong>{nodeStateWords[status.state]}</strong>
            {status.reason ? `. ${status.reason}` : ''}
          </p>
          <p>
            Nocturne keeps running in the tray (or as this server) and earns while your GPU is free. See{' '}
            <a href={hrefFor('dashboard')}>the Dashboard</a>.
          </p>
        </div>
      ) : (
        <>
          <p>
            Going online starts this machine’s peer-to-peer node, so renters can find it, and publishes your
            offer on the network. Nothing has been sent anywhere before this.
          </p>
          <div className="setup-actions">
            <button
              type="button"
              className="button button--primary"
              disabled={busy}
              onClick={() => void finish(true)}
            >
              Go online
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => void finish(false)}>
              Finish without going online
            </button>
          </div>
          {s.setupDone && !s.providerOnline ? (
            <p role="status">Setup finished. Go online any time in Settings, under Renting.</p>
          ) : null}
        </>
      )}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

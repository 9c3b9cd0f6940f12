import { useRef, useState, type FormEvent } from 'react';
import { FormActions } from './form-actions';
import { api } from '../api';
import { ApiError } from '../../shared/envelope';
import { MAX_RELAYS, RELAY_ADDRESS_EXAMPLE } from '../../shared/relay-address';
import type { NotificationKind, Settings, SettingsPatch } from '../../shared/schemas/settings';
import {
  changedFields,
  parseLines,
  withEdit,
  withoutSent,
  type SettingsField,
} from '../format/settings-patch';
import { toError } from '../hooks/use-api-data';
import { PriceSuggestion } from './price-suggestion';
import { sameTariff, TariffField, tariffHourLabel } from './tariff-field';

const NOTIFICATION_LABELS: Record<NotificationKind, string> = {
  jobStarted: 'A renter’s job starts',
  jobFinished: 'A renter’s job finishes',
  paymentSettled: 'A payment reaches your wallet',
  heatPause: 'A job is paused because the GPU is too hot',
  vouchersStalled: 'A renter stops paying',
  updateReady: 'An update is ready to install',
};

interface SaveError {
  message: string;
  fields: Partial<Record<SettingsField, string>>;
}

const FIELDS: readonly SettingsField[] = [
  'deviceName',
  'startOnLogin',
  'closeToTray',
  'temperatureUnit',
  'telemetryIdleSeconds',
  'telemetryBusySeconds',
  'walletAutoLockMinutes',
  'keepWalletUnlockedOnline',
  'devnetPort',
  'providerOnline',
  'offerPricePerHour',
  'offerMaxHours',
  'floorPricePerHour',
  'currency',
  'electricityPerKWh',
  'tokenValue',
  'gpuPowerW',
  'p2pPort',
  'p2pRelays',
  'notifications',
  'updateFeedUrl',
];

const isField = (name: string | undefined): name is SettingsField =>
  name !== undefined && (FIELDS as readonly string[]).includes(name);

const controlId = (field: SettingsField) => `settings-${field}`;
const errorId = (field: SettingsField) => `settings-${field}-error`;

function describe(error: unknown): SaveError {
  if (!(error instanceof ApiError)) return { message: toError(error).message, fields: {} };
  const fields: SaveError['fields'] = {};
  // A list's entry is named by its index ("p2pRelays.1"); its message shows under the list.
  const fieldOf = (path: string | undefined) => {
    const head = path?.split('.')[0];
    return isField(head) ? head : undefined;
  };
  for (const issue of error.issues) {
    const field = fieldOf(issue.field);
    if (field !== undefined) fields[field] ??= withHour(issue.field, issue.message);
  }
  const field = fieldOf(error.field);
  if (field !== undefined) fields[field] ??= error.message;
  return { message: error.message, fields };
}

/** A time-of-use price is named by its hour ("electricityPerKWh.3" -> "03:00–04:00: ..."). */
function withHour(path: string | undefined, message: string): string {
  const match = /^electricityPerKWh\.(\d+)$/.exec(path ?? '');
  return match ? `${tariffHourLabel(Number(match[1]))}: ${message}` : message;
}

/**
 * The form keeps only the owner's edits; every field shows the edit or else what main holds now, so a
 * change from the tray or another tab lands in every field the owner has not touched.
 */
export function SettingsForm({ saved, onSaved }: { saved: Settings; onSaved: (settings: Settings) => void }) {
  const [edits, setEdits] = useState<SettingsPatch>({});
  // The relays are edited as text, one per line: kept as typed, so a new line is not eaten while typing.
  const [relaysText, setRelaysText] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [justSaved, setJustSaved] = useState(false);
  const [error, setError] = useState<SaveError | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const draft: Settings = { ...saved, ...edits };
  const patch = changedFields(saved, edits);
  const relaysShown = relaysText ?? saved.p2pRelays.join('\n');
  const relays = parseLines(relaysShown);
  if (relays.join('\n') !== saved.p2pRelays.join('\n')) patch.p2pRelays = relays;
  const dirty = Object.keys(patch).length > 0;

  const edit = <K extends SettingsField>(field: K, value: Settings[K]) => {
    setEdits((current) => withEdit(current, saved, field, value));
    setJustSaved(false);
    setError(null);
  };
  // A tariff is a new array at each keystroke: an edit back to the saved prices is no edit.
  const editTariff = (value: Settings['electricityPerKWh']) => {
    setEdits((current) => {
      const next: SettingsPatch = { ...current };
      if (sameTariff(value, saved.electricityPerKWh)) delete next.electricityPerKWh;
      else next.electricityPerKWh = value;
      return next;
    });
    setJustSaved(false);
    setError(null);
  };
  const editRelays = (text: string) => {
    setRelaysText(text);
    setJustSaved(false);
    setError(null);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!dirty || saving) return;
    setSaving(true);
    setJustSaved(false);
    setError(null);
    try {
      onSaved(await api.settingsUpdate(patch));
      setEdits((current) => withoutSent(current, patch));
      setRelaysText((current) => (current === relaysText ? null : current));
      setJustSaved(true);
    } catch (e) {
      const described = describe(e);
      setError(described);
      const first = FIELDS.find((field) => described.fields[field] !== undefined);
      const control = first ? formRef.current?.elements.namedItem(first) : null;
      if (control instanceof HTMLElement) control.focus();
    } finally {
      setSaving(false);
    }
  };

  const discard = () => {
    setEdits({});
    setRelaysText(null);
    setError(null);
    setJustSaved(false);
  };

  /** Ties a control to its error message, if main rejected that field. */
  const a11y = (field: SettingsField) => {
    const invalid = error?.fields[field] !== undefined;
    return {
      id: controlId(field),
      name: field,
      'aria-invalid': invalid || undefined,
      'aria-describedby': invalid ? errorId(field) : undefined,
    };
  };

  const fieldError = (field: SettingsField) => {
    const message = error?.fields[field];
    return message === undefined ? null : (
      <p id={errorId(field)} className="field-error">
        {message}
      </p>
    );
  };

  return (
    <form ref={formRef} className="panel settings-form" noValidate onSubmit={(e) => void submit(e)}>
      <fieldset className="settings-form__group">
        <legend>This computer</legend>
        <div className="field">
          <label htmlFor={controlId('deviceName')}>Device name</label>
          <input
            {...a11y('deviceName')}
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={draft.deviceName}
            onChange={(e) => edit('deviceName', e.target.value)}
          />
          {fieldError('deviceName')}
        </div>
      </fieldset>

      <fieldset className="settings-form__group">
        <legend>Startup and closing</legend>
        <div className="field field--check">
          <input
            {...a11y('startOnLogin')}
            type="checkbox"
            checked={draft.startOnLogin}
            onChange={(e) => edit('startOnLogin', e.target.checked)}
          />
          <label htmlFor={controlId('startOnLogin')}>Start Nocturne when I log in</label>
          {fieldError('startOnLogin')}
        </div>
        <div className="field field--check">
          <input
            {...a11y('closeToTray')}
            type="checkbox"
            checked={draft.closeToTray}
            onChange={(e) => edit('closeToTray', e.target.checked)}
          />
          <label htmlFor={controlId('closeToTray')}>Keep running in the tray when the window is closed</label>
          {fieldError('closeToTray')}
        </div>
      </fieldset>

      <fieldset className="settings-form__group">
        <legend>Display</legend>
        <div className="field">
          <label htmlFor={controlId('temperatureUnit')}>Temperature unit</label>
          <select
            {...a11y('temperatureUnit')}
            value={draft.temperatureUnit}
            onChange={(e) => edit('temperatureUnit', e.target.value as Settings['temperatureUnit'])}
          >
            <option value="celsius">Celsius</option>
            <option value="fahrenheit">Fahrenheit</option>
          </select>
          {fieldError('temperatureUnit')}
        </div>
      </fieldset>

      <fieldset className="settings-form__group">
        <legend>GPU monitoring</legend>
        <div className="field">
          <label htmlFor={controlId('telemetryIdleSeconds')}>Seconds between GPU readings at rest</label>
          <input
            {...a11y('telemetryIdleSeconds')}
            type="number"
            inputMode="numeric"
            value={draft.telemetryIdleSeconds}
            onChange={(e) => edit('telemetryIdleSeconds', e.target.valueAsNumber)}
          />
          {fieldError('telemetryIdleSeconds')}
        </div>
        <div className="field">
          <label htmlFor={controlId('telemetryBusySeconds')}>
            Seconds between GPU readings while renting
          </label>
          <input
            {...a11y('telemetryBusySeconds')}
            type="number"
            inputMode="numeric"
            value={draft.telemetryBusySeconds}
            onChange={(e) => edit('telemetryBusySeconds', e.target.valueAsNumber)}
          />
          {fieldError('telemetryBusySeconds')}
        </div>
      </fieldset>

      <fieldset className="settings-form__group">
        <legend>Renting</legend>
        <div className="field field--check">
          <input
            {...a11y('providerOnline')}
            type="checkbox"
            checked={draft.providerOnline}
            onChange={(e) => edit('providerOnline', e.target.checked)}
          />
          <label htmlFor={controlId('providerOnline')}>
            Go online: let renters reach this machine and ask for prices
          </label>
          {fieldError('providerOnline')}
        </div>
        <div className="field">
          <label htmlFor={controlId('offerPricePerHour')}>
            Price per GPU hour, in the network’s payment token
          </label>
          <input
            {...a11y('offerPricePerHour')}
            type="text"
            inputMode="decimal"
            value={draft.offerPricePerHour}
            onChange={(e) => edit('offerPricePerHour', e.target.value)}
          />
          {fieldError('offerPricePerHour')}
          <PriceSuggestion onUse={(price) => edit('offerPricePerHour', price)} />
        </div>
        <div className="field">
          <label htmlFor={controlId('offerMaxHours')}>Longest job to take, in hours</label>
          <input
            {...a11y('offerMaxHours')}
            type="number"
            inputMode="numeric"
            value={draft.offerMaxHours}
            onChange={(e) => edit('offerMaxHours', e.target.valueAsNumber)}
          />
          {fieldError('offerMaxHours')}
        </div>
        <div className="field">
          <label htmlFor={controlId('floorPricePerHour')}>
            Least to take per GPU hour, in the payment token (0: no floor)
          </label>
          <input
            {...a11y('floorPricePerHour')}
            type="text"
            inputMode="decimal"
            value={draft.floorPricePerHour}
            onChange={(e) => edit('floorPricePerHour', e.target.value)}
          />
          {fieldError('floorPricePerHour')}
        </div>
        <div className="field">
          <label htmlFor={controlId('currency')}>Your currency (a code such as EUR or USD)</label>
          <input
            {...a11y('currency')}
            aria-describedby={[
              error?.fields.currency !== undefined ? errorId('currency') : null,
              'settings-currency-hint',
            ]
              .filter(Boolean)
              .join(' ')}
            type="text"
            autoComplete="off"
            spellCheck={false}
            maxLength={3}
            value={draft.currency}
            onChange={(e) => edit('currency', e.target.value.toUpperCase())}
          />
          {fieldError('currency')}
          <p id="settings-currency-hint" className="field-hint">
            Electricity is priced in it, and Earnings shows what renters paid in it.
          </p>
        </div>
        <TariffField
          value={draft.electricityPerKWh}
          onChange={editTariff}
          error={fieldError('electricityPerKWh')}
          a11y={a11y('electricityPerKWh')}
        />
        <div className="field">
          <label htmlFor={controlId('tokenValue')}>What one payment token is worth in your currency</label>
          <input
            {...a11y('tokenValue')}
            aria-describedby={[
              error?.fields.tokenValue !== undefined ? errorId('tokenValue') : null,
              'settings-tokenValue-hint',
            ]
              .filter(Boolean)
              .join(' ')}
            type="number"
            inputMode="decimal"
            step="any"
            value={Number.isNaN(draft.tokenValue) ? '' : draft.tokenValue}
            onChange={(e) => edit('tokenValue', e.target.valueAsNumber)}
          />
          {fieldError('tokenValue')}
          <p id="settings-tokenValue-hint" className="field-hint">
            0.92 when 1 tUSD is worth 0.92 {draft.currency}; 1 when they are the same. A network with a price
            feed in your currency uses the feed instead.
          </p>
        </div>
        <div className="field">
          <label htmlFor={controlId('gpuPowerW')}>
            GPU power under load in watts, until the monitor has measured it
          </label>
          <input
            {...a11y('gpuPowerW')}
            type="number"
            inputMode="numeric"
            placeholder="card’s rating, else 250"
            value={draft.gpuPowerW ?? ''}
            onChange={(e) =>
              edit('gpuPowerW', Number.isNaN(e.target.valueAsNumber) ? null : e.target.valueAsNumber)
            }
          />
          {fieldError('gpuPowerW')}
        </div>
        <div className="field">
          <label htmlFor={controlId('p2pPort')}>
            Peer-to-peer port (WebSockets on the next one; 0: any free port)
          </label>
          <input
            {...a11y('p2pPort')}
            type="number"
            inputMode="numeric"
            value={draft.p2pPort}
            onChange={(e) => edit('p2pPort', e.target.valueAsNumber)}
          />
          {fieldError('p2pPort')}
        </div>
        <div className="field">
          <label htmlFor={controlId('p2pRelays')}>
            Relays to reach this machine through, when renters cannot dial it (one address per line)
          </label>
          <textarea
            {...a11y('p2pRelays')}
            aria-describedby={[
              error?.fields.p2pRelays !== undefined ? errorId('p2pRelays') : null,
              'settings-p2pRelays-hint',
            ]
              .filter(Boolean)
              .join(' ')}
            rows={3}
            spellCheck={false}
            autoComplete="off"
            placeholder={RELAY_ADDRESS_EXAMPLE}
            value={relaysShown}
            onChange={(e) => editRelays(e.target.value)}
          />
          {fieldError('p2pRelays')}
          <p id="settings-p2pRelays-hint" className="field-hint">
            A circuit relay’s address ending in /p2p/ and its peer id, at most {MAX_RELAYS}. Jobs through a
            relay are limited by what the relay allows each connection (data and time).
          </p>
        </div>
      </fieldset>

      <fieldset className="settings-form__group">
        <legend>Notifications</legend>
        <p className="field-hint">The desktop app tells you, with your system’s notifications, when:</p>
        {(Object.keys(NOTIFICATION_LABELS) as NotificationKind[]).map((kind) => (
          <div className="field field--check" key={kind}>
            <input
              id={`settings-notifications-${kind}`}
              type="checkbox"
              checked={draft.notifications[kind]}
              onChange={(e) => edit('notifications', { ...draft.notifications, [kind]: e.target.checked })}
            />
            <label htmlFor={`settings-notifications-${kind}`}>{NOTIFICATION_LABELS[kind]}</label>
          </div>
        ))}
        {fieldError('notifications')}
      </fieldset>

      <fieldset className="settings-form__group">
        <legend>Updates</legend>
        <div className="field">
          <label htmlFor={controlId('updateFeedUrl')}>
            Update feed (an https:// address; empty: no updates)
          </label>
          <input
            {...a11y('updateFeedUrl')}
            aria-describedby={[
              error?.fields.updateFeedUrl !== undefined ? errorId('updateFeedUrl') : null,
              'settings-updateFeedUrl-hint',
            ]
              .filter(Boolean)
              .join(' ')}
            type="url"
            autoComplete="off"
            spellCheck={false}
            value={draft.updateFeedUrl ?? ''}
            onChange={(e) => edit('updateFeedUrl', e.target.value.trim() === '' ? null : e.target.value)}
          />
          {fieldError('updateFeedUrl')}
          <p id="settings-updateFeedUrl-hint" className="field-hint">
            The desktop app checks it every 6 hours and installs what it finds when you restart. It is never
            asked while this is empty.
          </p>
        </div>
      </fieldset>

      <fieldset className="settings-form__group">
        <legend>Wallet and local devnet</legend>
        <div className="field">
          <label htmlFor={controlId('walletAutoLockMinutes')}>
            Lock the wallet after this many idle minutes
          </label>
          <input
            {...a11y('walletAutoLockMinutes')}
            type="number"
            inputMode="numeric"
            value={draft.walletAutoLockMinutes}
            onChange={(e) => edit('walletAutoLockMinutes', e.target.valueAsNumber)}
          />
          {fieldError('walletAutoLockMinutes')}
        </div>
        <div className="field field--check">
          <input
            {...a11y('keepWalletUnlockedOnline')}
            type="checkbox"
            checked={draft.keepWalletUnlockedOnline}
            onChange={(e) => edit('keepWalletUnlockedOnline', e.target.checked)}
          />
          <label htmlFor={controlId('keepWalletUnlockedOnline')}>
            While renting is on, keep the wallet unlocked (it signs quotes and collects payments)
          </label>
          {fieldError('keepWalletUnlockedOnline')}
        </div>
        <div className="field">
          <label htmlFor={controlId('devnetPort')}>Local devnet port on 127.0.0.1 (0: any free port)</label>
          <input
            {...a11y('devnetPort')}
            type="number"
            inputMode="numeric"
            value={draft.devnetPort}
            onChange={(e) => edit('devnetPort', e.target.valueAsNumber)}
          />
          {fieldError('devnetPort')}
        </div>
      </fieldset>

      <FormActions
        saveLabel="Save settings"
        discardLabel="Discard changes"
        savedMessage="Settings saved"
        saving={saving}
        dirty={dirty}
        justSaved={justSaved}
        onDiscard={discard}
        error={error?.message}
      />
    </form>
  );
}

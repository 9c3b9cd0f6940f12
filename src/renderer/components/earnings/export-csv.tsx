import { useId, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { ApiError } from '../../../shared/envelope';
import { toError } from '../../hooks/use-api-data';

/** Hands a text to the browser as a file download (Electron shows its save dialog). */
function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The tax export: rentals that ended between two dates (either may be left open), as CSV. */
export function ExportCsv() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string; field?: string } | null>(null);
  const messageId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const result = await api.earningsExportCsv({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
      download(result.filename, result.csv);
      setMessage({
        error: false,
        text: `Saved ${result.rows} rental${result.rows === 1 ? '' : 's'} to ${result.filename}.`,
      });
    } catch (e) {
      const field = e instanceof ApiError ? e.field : undefined;
      setMessage({ error: true, text: toError(e).message, ...(field ? { field } : {}) });
    } finally {
      setBusy(false);
    }
  };

  const invalid = (name: string) => message?.error === true && message.field === name;
  return (
    <form
      className="earnings-export"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label="Export for taxes"
    >
      <DateField
        label="From (ended on or after)"
        value={from}
        onChange={setFrom}
        invalid={invalid('from')}
        errorId={messageId}
      />
      <DateField
        label="To (ended on or before)"
        value={to}
        onChange={setTo}
        invalid={invalid('to')}
        errorId={messageId}
      />
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Exporting…' : 'Export CSV'}
      </button>
      <p
        id={messageId}
        className={message?.error ? 'inline-error' : 'form-status'}
        role={message?.error ? 'alert' : 'status'}
        data-testid="earnings-export-status"
      >
        {message?.text ?? ''}
      </p>
    </form>
  );
}

/** One end of the range: a date input, marked invalid (and pointed at the message) when main refused it. */
function DateField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  invalid: boolean;
  errorId: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="date"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.invalid || undefined}
        aria-describedby={props.invalid ? props.errorId : undefined}
      />
    </div>
  );
}

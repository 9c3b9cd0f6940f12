/**
 * The end of every settings-like form: the form-level error, Save and Discard, and the status line.
 * The status region is always rendered: a live region must exist before its text changes to be announced.
 */
export function FormActions(props: {
  saveLabel: string;
  discardLabel: string;
  savedMessage: string;
  saving: boolean;
  dirty: boolean;
  justSaved: boolean;
  onDiscard: () => void;
  error?: string | null | undefined;
}) {
  const { saving, dirty } = props;
  return (
    <>
      {props.error ? (
        <p className="form-error" role="alert">
          {props.error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={saving || !dirty}>
          {props.saveLabel}
        </button>
        <button
          type="button"
          className="button button--quiet"
          disabled={saving || !dirty}
          onClick={props.onDiscard}
        >
          {props.discardLabel}
        </button>
        <p className="form-status" role="status">
          {saving ? 'Saving…' : props.justSaved ? props.savedMessage : ''}
        </p>
      </div>
    </>
  );
}

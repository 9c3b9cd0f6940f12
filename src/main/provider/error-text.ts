/** Whatever was thrown, as text for the log or a reason. */
export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The protocol bounds every reason it carries, and the ledger keeps them short too. */
export const clip = (text: string, max = 1000) => (text.length > max ? `${text.slice(0, max - 3)}...` : text);

/** Errors the store raises for things an owner can act on; each message says what to do. */
export class StoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export class NewerSchemaError extends StoreError {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `The database ${file} was written by a newer version of Nocturne (schema ${found}; this version knows up to ${known}). ` +
        'Update Nocturne, or start it with another --data-dir. Nothing was changed.',
    );
    this.name = 'NewerSchemaError';
  }
}

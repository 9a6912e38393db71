/** The store cannot be reached or cannot write right now (disk, network, server down). */
export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** The store exists but is not shaped the way the configuration asks (e.g. capped vs not). */
export class StoreMismatchError extends Error {
  readonly code = 'store_mismatch';
  constructor(message: string) {
    super(message);
    this.name = 'StoreMismatchError';
  }
}

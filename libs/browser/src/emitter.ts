/** A listener of any event; each `on` gets its own event's arguments. */
type AnyListener = (...args: never[]) => void;

/** The few lines of an event emitter this library needs; `E` maps each event name to its listeners' arguments. */
export class Emitter<E extends { [K in keyof E]: unknown[] }> {
  private readonly handlers = new Map<keyof E, Set<AnyListener>>();

  /** Calls `listener` on every `event`; returns a function that removes it. */
  on<K extends keyof E>(event: K, listener: (...args: E[K]) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(listener as unknown as AnyListener);
    return () => this.off(event, listener);
  }

  off<K extends keyof E>(event: K, listener: (...args: E[K]) => void): void {
    this.handlers.get(event)?.delete(listener as unknown as AnyListener);
  }

  /** Calls every listener of `event`; one that throws is reported (as an uncaught error) and never stops the others. */
  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    for (const listener of [...(this.handlers.get(event) ?? [])]) {
      try {
        (listener as unknown as (...args: E[K]) => void)(...args);
      } catch (error) {
        setTimeout(() => {
          throw error;
        });
      }
    }
  }
}

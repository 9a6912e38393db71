type NullableKeys<T> = { [K in keyof T]: null extends T[K] ? K : never }[keyof T];

/** `T` with its nullable columns turned into optional fields. */
export type WithoutNulls<T> = { [K in Exclude<keyof T, NullableKeys<T>>]: T[K] } & {
  [K in NullableKeys<T>]?: Exclude<T[K], null>;
};

/** A copy of a row without its NULL columns, in column order: absent fields stay absent. */
export function withoutNulls<T extends object>(row: T): WithoutNulls<T> {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null)) as WithoutNulls<T>;
}

// swagger-ui-dist ships no type declarations; the api only needs the folder of its static files.
declare module 'swagger-ui-dist' {
  /** Absolute path of the folder holding swagger-ui's built files. */
  export function getAbsoluteFSPath(): string;
}

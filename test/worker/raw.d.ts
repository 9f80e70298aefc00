declare module "*?raw" {
  const text: string;
  export default text;
}

interface ImportMeta {
  /** Vite's import.meta.glob, as the tests use it: the text of every file the pattern matches, by path. */
  glob<T>(pattern: string, options: { query: "?raw"; import: "default"; eager: true }): Record<string, T>;
}

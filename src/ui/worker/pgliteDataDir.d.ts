/** The URL of the prebuilt PostgreSQL data directory (see scripts/vite/pgliteDataDirSnapshot.ts). */
declare module 'virtual:pglite-data-dir' {
  const url: string;
  export default url;
}

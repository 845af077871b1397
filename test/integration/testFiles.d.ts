// The module scripts/build.mjs makes when bundling the suite: [file name, loader] for each *.test.ts here.
declare module 'integration-test-files' {
  const files: [name: string, load: () => unknown][];
  export = files;
}

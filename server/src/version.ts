// Replaced at bundle time by scripts/build.mjs; the fallback keeps tests (run from source) working.
declare const __PACKAGE_VERSION__: string | undefined;

export const PRODUCT_VERSION: string =
  typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : '0.0.0-dev';

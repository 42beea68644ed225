/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** URL of the sandbox page, when it is served from another origin than the app. */
  readonly VITE_SANDBOX_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

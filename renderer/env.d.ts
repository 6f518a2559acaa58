// Vite's client types: CSS side-effect imports, asset URLs and import.meta.env.
/// <reference types="vite/client" />

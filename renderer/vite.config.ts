import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Builds the Sync Center window. `base: './'` keeps every asset URL relative, because the same files are served
 * from `app://` in Electron and from the loopback web host in a browser.
 */
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    // Inlined assets become data: URLs in CSS, which the CSP allows for images only; keep fonts/scripts as files.
    assetsInlineLimit: 0,
    sourcemap: true,
    target: 'es2023',
  },
  preview: { host: '127.0.0.1', strictPort: true },
});

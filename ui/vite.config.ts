import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'

// The app runs inside Tauri's webview under a strict CSP (no inline scripts or styles):
// relative asset paths, CSS in its own file, no source maps, nothing fetched at run time.
export default defineConfig({
  plugins: [svelte()],
  base: './',
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    // The largest chunk is the third-party licence texts (about 760 kB, 95 kB compressed),
    // loaded only when Settings → About → Third-party licences opens.
    chunkSizeWarningLimit: 800,
  },
})

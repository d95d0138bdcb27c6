// The same mark the app sets on its first complete screen (ui/src/lib/shared/firstScreen.ts):
// after the first frame has been painted.
requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('kap:first-screen')))

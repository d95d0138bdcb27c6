// PDF pages drawn onto canvases with the bundled pdf.js. Everything is local: the worker
// is a file of the app's own bundle (served from 'self', as the CSP requires), no fonts,
// character maps or WebAssembly are fetched (the app's PDFs embed their fonts), and
// pdf.js never compiles code at run time (`isEvalSupported: false`; the CSP has no
// 'unsafe-eval').
import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy } from 'pdfjs-dist'
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url'

GlobalWorkerOptions.workerSrc = workerUrl

/** Opens a PDF from its bytes. The caller destroys it when done. */
export async function openPdf(bytes: ArrayBuffer): Promise<PDFDocumentProxy> {
  return getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    useSystemFonts: false,
    disableAutoFetch: true,
    disableStream: true,
    enableXfa: false,
  }).promise
}

/**
 * Draws page `n` (1-based) onto `canvas`, `cssWidth` CSS pixels wide, sharp on the
 * display's pixel ratio.
 */
export async function drawPage(pdf: PDFDocumentProxy, n: number, canvas: HTMLCanvasElement, cssWidth: number) {
  const page = await pdf.getPage(n)
  const base = page.getViewport({ scale: 1 })
  const scale = cssWidth / base.width
  const ratio = window.devicePixelRatio || 1
  const viewport = page.getViewport({ scale: scale * ratio })
  canvas.width = Math.floor(viewport.width)
  canvas.height = Math.floor(viewport.height)
  canvas.style.width = `${Math.floor(viewport.width / ratio)}px`
  canvas.style.height = `${Math.floor(viewport.height / ratio)}px`
  await page.render({ canvas, viewport }).promise
  page.cleanup()
}

// Printing: the printers the computer knows, a document's preview (its PDF's bytes, never
// written anywhere), printing it, and saving it as a PDF. Printing and saving are each an
// `export` row in the audit log; the preview stays inside the app and is not.
import { call } from '../ipc'
import type { PrintDocument, PrintJob, PrintRequest, Printer, SaveDocumentRequest, Saved } from '../types'

export const listPrinters = () => call<Printer[]>('list_printers')
/** The document's PDF as raw bytes (the shell answers with binary, not JSON). */
export const previewDocument = (req: PrintDocument) => call<ArrayBuffer>('preview_document', req)
export const printDocument = (req: PrintRequest) => call<PrintJob>('print_document', req)
/** The path comes from `chooseSavePath` (lib/api/export.ts). */
export const saveDocumentPdf = (req: SaveDocumentRequest) => call<Saved>('save_document_pdf', req)

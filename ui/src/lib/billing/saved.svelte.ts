// The document saved last on the page, shown once as "Saved to <path>" with an Open button
// next to where it was asked for.
import { chooseSavePath, openSavedFile } from '../api/export'
import type { Saved } from '../types'

export type SavedPlace = 'consent' | 'billing'

class SavedFile {
  path = $state<string | null>(null)
  place = $state<SavedPlace | null>(null)

  clear(): void {
    this.path = null
    this.place = null
  }

  /**
   * Asks where to save a PDF (the shell's target or the native dialog), then writes it.
   * Returns false when the person cancelled the dialog. Errors are the caller's to show.
   */
  async savePdf(fileName: string, place: SavedPlace, write: (path: string) => Promise<Saved>): Promise<boolean> {
    const path = await chooseSavePath(fileName, 'PDF document', 'pdf')
    if (!path) return false
    const saved = await write(path)
    this.path = saved.path
    this.place = place
    return true
  }
}

export const savedFile = new SavedFile()

/** Opens the saved file in the system viewer. */
export function openSaved(path: string) {
  return openSavedFile({ path })
}

// The consent form's plain text as blocks to render as text: a `# Title` line,
// `## ` section headings, and paragraphs separated by blank lines. Never HTML.

export type ConsentBlock = { kind: 'title' | 'heading' | 'paragraph'; text: string }

export function consentBlocks(text: string): ConsentBlock[] {
  const blocks: ConsentBlock[] = []
  let para: string[] = []
  const flush = () => {
    if (para.length) blocks.push({ kind: 'paragraph', text: para.join(' ') })
    para = []
  }
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim()
    if (line === '') {
      flush()
    } else if (line.startsWith('## ')) {
      flush()
      blocks.push({ kind: 'heading', text: line.slice(3).trim() })
    } else if (line.startsWith('# ')) {
      flush()
      blocks.push({ kind: 'title', text: line.slice(2).trim() })
    } else {
      para.push(line)
    }
  }
  flush()
  return blocks
}

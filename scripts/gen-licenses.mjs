#!/usr/bin/env node
// Writes ui/src/lib/about/third-party.json: every library and font the app ships, with
// its licence, generated from the dependency tree (never written by hand):
// - Rust: the crates the app binary is built from (`cargo metadata`, normal dependencies
//   of kap-practice-app on this platform, build-only and dev-only ones left out), each
//   with the licence files its package carries;
// - npm: the packages the UI bundle is built from (ui/package.json's dependencies and
//   what they need, from ui/package-lock.json; dev tools and optional platform add-ons
//   are not shipped);
// - fonts: the font files in assets/fonts and ui's fonts, with their licence files.
// `--check` fails when the committed file is not what the tree gives (run by .ci/run).
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync, existsSync, writeFileSync, statSync } from 'node:fs'
import { dirname, join, basename } from 'node:path'
import { createHash } from 'node:crypto'

const root = join(dirname(new URL(import.meta.url).pathname), '..')
const out = join(root, 'ui/src/lib/about/third-party.json')
const LICENCE_FILE = /^(licen[cs]e|copying|notice|copyright|ofl)([-._].*)?$/i

const texts = []
const textIndex = new Map()
function textId(text) {
  const t = text.replace(/\r\n/g, '\n').trim()
  const h = createHash('sha256').update(t).digest('hex')
  if (!textIndex.has(h)) {
    textIndex.set(h, texts.length)
    texts.push(t)
  }
  return textIndex.get(h)
}
function licenceFiles(dir) {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => LICENCE_FILE.test(f) && statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => textId(readFileSync(join(dir, f), 'utf8')))
}

// Rust
const host = execFileSync('rustc', ['-vV'], { encoding: 'utf8' }).match(/^host: (.+)$/m)[1]
const meta = JSON.parse(
  execFileSync('cargo', ['metadata', '--format-version', '1', '--locked', '--filter-platform', host], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  }),
)
const pkgs = new Map(meta.packages.map((p) => [p.id, p]))
const nodes = new Map(meta.resolve.nodes.map((n) => [n.id, n]))
const app = meta.packages.find((p) => p.name === 'kap-practice-app').id
const shipped = new Set()
const todo = [app]
while (todo.length) {
  const id = todo.pop()
  if (shipped.has(id)) continue
  shipped.add(id)
  for (const d of nodes.get(id).deps) {
    if (d.dep_kinds.some((k) => k.kind === null)) todo.push(d.pkg)
  }
}
const ours = new Set(meta.workspace_members)
const rust = [...shipped]
  .filter((id) => !ours.has(id))
  .map((id) => pkgs.get(id))
  .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version))
  .map((p) => ({
    name: p.name,
    version: p.version,
    license: p.license ?? (p.license_file ? 'see licence text' : 'not stated'),
    texts: licenceFiles(dirname(p.manifest_path)),
  }))

// npm
const ui = join(root, 'ui')
const lock = JSON.parse(readFileSync(join(ui, 'package-lock.json'), 'utf8'))
const want = Object.keys(JSON.parse(readFileSync(join(ui, 'package.json'), 'utf8')).dependencies ?? {})
const npmSeen = new Set()
while (want.length) {
  const name = want.pop()
  const key = `node_modules/${name}`
  if (npmSeen.has(key) || !lock.packages[key]) continue
  npmSeen.add(key)
  want.push(...Object.keys(lock.packages[key].dependencies ?? {}))
}
const npm = [...npmSeen].sort().map((key) => {
  const p = lock.packages[key]
  return {
    name: key.slice('node_modules/'.length),
    version: p.version,
    license: p.license ?? 'not stated',
    texts: licenceFiles(join(ui, key)),
  }
})

// Fonts
const fonts = []
for (const dir of ['assets/fonts', 'ui/src/assets/fonts']) {
  const abs = join(root, dir)
  if (!existsSync(abs)) continue
  const files = readdirSync(abs).filter((f) => /\.(ttf|otf|woff2?)$/i.test(f)).sort()
  if (files.length === 0) continue
  fonts.push({
    name: files.join(', '),
    version: '',
    license: licenceFiles(abs).length ? 'OFL-1.1' : 'not stated',
    texts: licenceFiles(abs),
  })
}

const json = JSON.stringify({ platform: host, rust, npm, fonts, texts }, null, 1) + '\n'
if (process.argv.includes('--check')) {
  const current = existsSync(out) ? readFileSync(out, 'utf8') : ''
  if (current !== json) {
    console.error(`${basename(out)} is stale: run scripts/gen-licenses.mjs and commit the result.`)
    process.exit(1)
  }
  console.log(`gen-licenses: current (${rust.length} crates, ${npm.length} npm packages, ${fonts.length} font sets)`)
} else {
  writeFileSync(out, json)
  console.log(`gen-licenses: ${rust.length} crates, ${npm.length} npm packages, ${fonts.length} font sets, ${texts.length} licence texts`)
}

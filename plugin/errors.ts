import type { PartialMessage } from 'esbuild'
import { OptionsError } from '../src/options.js'
import { sourceLine, TransformError } from '../src/parse.js'

/**
 * One error of this plugin, whatever raised it: a module that cannot be rewritten
 * (`TransformError`) or options that cannot be used (`OptionsError`). Each bundler's
 * format is made from this, below, and nowhere else.
 */
export interface PluginError {
  /** Stable: `SENTRY_TRACE_TRANSFORM_FAILED`, `SENTRY_TRACE_INVALID_OPTIONS`. */
  code: string
  /** What went wrong, without place or frame. */
  reason: string
  /** The module, for a transform error. */
  file?: string
  /** 1-based line and 0-based column, when the failure has a place. */
  loc?: { line: number; column: number }
  /** The code frame around `loc` ('' when there is none). */
  frame: string
  /** The whole story on its own: `file:line:column: reason` and the frame. */
  message: string
}

/** Our errors, shaped; undefined for any other (a bug, or another tool's), which goes through as it is. */
export function toPluginError(error: unknown): PluginError | undefined {
  if (error instanceof TransformError) {
    return { code: error.code, reason: error.reason, file: error.id, loc: error.loc, frame: error.frame, message: error.message }
  }
  if (error instanceof OptionsError) return { code: error.code, reason: error.message, frame: '', message: error.message }
  return undefined
}

/** Rollup, Rolldown and Vite: what `this.error()` takes (they add the plugin name, and keep `code` as `pluginCode`). */
export function rollupError(error: PluginError): { message: string; code: string; id?: string; loc?: { file?: string; line: number; column: number }; frame?: string } {
  return {
    message: error.reason,
    code: error.code,
    ...(error.file !== undefined && { id: error.file }),
    ...(error.loc && { loc: { file: error.file, line: error.loc.line, column: error.loc.column } }),
    ...(error.frame && { frame: error.frame }),
  }
}

/**
 * esbuild: a message of a plugin's result (esbuild prints the location and its source
 * line itself, so the text is the reason alone; the shaped error, `code` with it, is its
 * `detail`). `code`: the module's text, for that line.
 */
export function esbuildMessage(error: PluginError, code?: string): PartialMessage {
  const location =
    error.file === undefined
      ? undefined
      : error.loc
        ? { file: error.file, line: error.loc.line, column: error.loc.column, lineText: code === undefined ? undefined : sourceLine(code, error.loc.line) }
        : { file: error.file }
  return { text: error.reason, location, detail: error }
}

/**
 * webpack and Rspack: the error a loader or hook throws. They print its message with
 * the module it failed in, so the message carries place and frame.
 */
export function webpackError(error: PluginError): Error {
  return Object.assign(new Error(error.message), { code: error.code })
}

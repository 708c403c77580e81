/**
 * The webpack builds' TypeScript loader: esbuild's `transform`, as esbuild-loader
 * and swc-loader do. The fastest kind of TS loader a webpack app uses, so the
 * plugin's share of the build is measured against a lean baseline, not a slow one.
 */

import { transform } from 'esbuild'
import type { LoaderContext } from 'webpack'

export default function tsLoader(this: LoaderContext<unknown>, source: string): void {
  const callback = this.async()
  transform(source, { loader: 'ts', format: 'esm', target: 'es2022', sourcemap: 'external', sourcefile: this.resourcePath }).then(
    (result) => callback(null, result.code, result.map),
    (error: Error) => callback(error),
  )
}

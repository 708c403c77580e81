import { checkedEntry, unplugin } from './core.js'

export type { PluginOptions } from './options.js'

const sentryTraceEsbuild = checkedEntry(unplugin.esbuild)

export default sentryTraceEsbuild

/** What `require()` of this entry returns (Node's require of an ES module): the plugin itself, as `import` gives it. */
export { sentryTraceEsbuild as 'module.exports' }

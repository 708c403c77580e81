import { checkedEntry, unplugin } from './core.js'

export type { PluginOptions } from './options.js'

const sentryTraceVite = checkedEntry(unplugin.vite)

export default sentryTraceVite

/** What `require()` of this entry returns (Node's require of an ES module): the plugin itself, as `import` gives it. */
export { sentryTraceVite as 'module.exports' }

import { checkedEntry, unplugin } from './core.js'

export type { PluginOptions } from './options.js'

const sentryTraceRspack = checkedEntry(unplugin.rspack)

export default sentryTraceRspack

/** What `require()` of this entry returns (Node's require of an ES module): the plugin itself, as `import` gives it. */
export { sentryTraceRspack as 'module.exports' }

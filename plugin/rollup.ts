import { checkedEntry, unplugin } from './core.js'

export type { PluginOptions } from './options.js'

const sentryTraceRollup = checkedEntry(unplugin.rollup)

export default sentryTraceRollup

/** What `require()` of this entry returns (Node's require of an ES module): the plugin itself, as `import` gives it. */
export { sentryTraceRollup as 'module.exports' }

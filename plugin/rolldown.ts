import { checkedEntry, unplugin } from './core.js'

export type { PluginOptions } from './options.js'

const sentryTraceRolldown = checkedEntry(unplugin.rolldown)

export default sentryTraceRolldown

/** What `require()` of this entry returns (Node's require of an ES module): the plugin itself, as `import` gives it. */
export { sentryTraceRolldown as 'module.exports' }

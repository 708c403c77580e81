// The pages router's event emitter, which @sentry/nextjs subscribes to for navigations.
const handlers = {}
export default {
  events: {
    on(type, handler) {
      ;(handlers[type] ||= []).push(handler)
    },
  },
}

export default defineEventHandler((event) => ({ name: getRouterParam(event, 'name') }))

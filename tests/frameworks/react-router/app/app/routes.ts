import { index, route, type RouteConfig } from '@react-router/dev/routes'

export default [
  index('routes/home.tsx'),
  route('traced', 'routes/traced.tsx'),
  route('api/:name', 'routes/api.ts'),
  route('other/:name', 'routes/other.ts'),
] satisfies RouteConfig

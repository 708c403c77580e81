import { json } from '@sveltejs/kit'
import type { RequestHandler } from './$types'

export const GET: RequestHandler = ({ params, request }) => json({ name: params.name, 'sentry-trace': request.headers.get('sentry-trace') })

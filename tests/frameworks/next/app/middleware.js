import { NextResponse } from 'next/server'

// Edge middleware: its own fetch must stay as written.
export async function middleware(request) {
  const response = await fetch(`http://${request.headers.get('host')}/api/from-middleware`)
  return NextResponse.json({ middleware: response.status })
}

export const config = { matcher: '/mw/:path*' }

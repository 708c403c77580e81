export function GET(_request, { params }) {
  return params.then(({ name }) => Response.json({ other: name }))
}

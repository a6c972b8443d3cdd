// A permission attack: a named attempt over the wire that must be refused. `attempt` resolves
// with true when the service refused it (an error status, an error reply, nothing delivered, no change).
export interface Attack { name: string, attempt: () => Promise<boolean> }

export async function httpStatus (url: string, init: RequestInit = {}): Promise<number> {
  const response = await fetch(url, init)
  await response.arrayBuffer()
  return response.status
}

export function basic (uuid: string, token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: 'Basic ' + Buffer.from(`${uuid}:${token}`).toString('base64'), 'content-type': 'application/json', ...extra }
}

export const refusedStatus = (status: number): boolean => status >= 400 && status < 500

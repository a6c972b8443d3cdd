// The message-path step between opening the credentials and running the job (meshblu-endo §5.5
// step 4, "optional refresh-token step"): a job never sees an access token that expires within the
// refresh margin. A failed refresh is thrown, so the runner answers the sender (401 "credentials
// need to be reconnected") and records it on the user device's status device.
import type { CredentialsStore } from '../credentials-store.js'
import type { CredentialsBlob } from '../credentials-device.js'
import type { JobCredentials, JobParties } from '../job-definition.js'
import type { TokenRefresher } from './token-refresher.js'

interface RefreshDependencies { credentials: CredentialsStore, tokenRefresher?: TokenRefresher }
interface RefreshState { parties: JobParties, credentials?: JobCredentials }

export async function refreshAccessToken (deps: RefreshDependencies, state: RefreshState): Promise<void> {
  const refresher = deps.tokenRefresher
  const opened = state.credentials
  if (refresher === undefined || opened === undefined || !refresher.needsRefresh(opened.blob)) return
  const credentialsUuid = state.parties.credentialsUuid
  let current: CredentialsBlob = await refresher.freshBlob(credentialsUuid)
  state.credentials = {
    get blob () { return current },
    update: async change => { current = await deps.credentials.update(credentialsUuid, change); return current },
  }
}

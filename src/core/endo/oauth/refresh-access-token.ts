// The message-path step between opening the credentials and running the job (meshblu-endo §5.5
// step 4, "optional refresh-token step"): a job never sees an access token that expires within the
// refresh margin. A failed refresh is thrown, so the runner answers the sender (401 "credentials
// need to be reconnected") and records it on the user device's status device.
import type { CredentialsStore } from '../credentials-store.js'
import type { JobCredentials, JobParties } from '../job-definition.js'
import type { TokenRefresher } from './token-refresher.js'

interface RefreshDependencies { credentials: CredentialsStore, tokenRefresher?: TokenRefresher }
interface RefreshState { parties: JobParties, credentials?: JobCredentials }

export async function refreshAccessToken (deps: RefreshDependencies, state: RefreshState): Promise<void> {
  const refresher = deps.tokenRefresher
  const opened = state.credentials
  if (refresher === undefined || opened === undefined || !refresher.needsRefresh(opened.blob)) return
  const credentialsUuid = state.parties.credentialsUuid
  state.credentials = deps.credentials.openForJob(credentialsUuid, await refresher.freshBlob(credentialsUuid))
}

// The message-path step between opening the credentials and running the job (meshblu-endo §5.5
// step 4, "optional refresh-token step"): a job never sees an access token that expires within the
// refresh margin. A failed refresh is thrown, so the runner answers the sender (401 "credentials
// need to be reconnected") and records it on the user device's status device.
import type { CredentialsStore } from '../credentials-store.js'
import type { JobCredentials, JobParties } from '../../job-context.js'
import type { TokenRefresher } from './token-refresher.js'

interface RefreshDependencies { credentials: CredentialsStore, tokenRefresher?: TokenRefresher }
interface RefreshState { parties: JobParties, credentials?: JobCredentials }

/** Returns a promise only when it has to refresh, so the usual job pays no microtask turn for this step. */
export function refreshAccessToken (deps: RefreshDependencies, state: RefreshState): Promise<void> | undefined {
  const refresher = deps.tokenRefresher
  const opened = state.credentials
  if (refresher === undefined || opened === undefined || !refresher.needsRefresh(opened.blob)) return undefined
  const credentialsUuid = state.parties.credentialsUuid
  return refresher.freshBlob(credentialsUuid).then(async blob => { state.credentials = await deps.credentials.openForJob(credentialsUuid, blob) })
}

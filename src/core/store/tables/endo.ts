// Tables owned by the endo domain.
export interface StatusDeviceRow {
  user_uuid: string
  /** The status device the service created for the user device (meshblu-endo §5.3). */
  status_uuid: string
}

export interface EndoTables {
  status_devices: StatusDeviceRow
}

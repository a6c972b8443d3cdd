// Tables owned by the endo domain (filled in by its migration).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EndoTables {}

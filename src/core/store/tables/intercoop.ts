// Tables owned by the intercoop domain (filled in by its migration).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface IntercoopTables {}

// meshblu-endo §5.6: jobType = UpperFirst(camelCase(folder name)), e.g. `list-events-by-user` → `ListEventsByUser`.
export function jobTypeOfFolder (folder: string): string {
  return folder
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(word => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
}

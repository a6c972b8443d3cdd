// Labels of the fields a transfer can carry (reference §A4 `transferFields`), for the consent screen.
import { translate, type Translatable } from './translation.js'

const LABELS: Record<string, Translatable> = {
  originpeer: { es: 'Entidad de origen', ca: "Entitat d'origen", en: 'Source entity' },
  innerid: { es: 'Número de socio/a', ca: 'Número de soci/a', en: 'Member number' },
  peerroles: { es: 'Relación con la entidad', ca: "Relació amb l'entitat", en: 'Roles in the entity' },
  nif: { es: 'NIF', ca: 'NIF', en: 'Tax id (NIF)' },
  name: { es: 'Nombre', ca: 'Nom', en: 'Name' },
  address: { es: 'Dirección', ca: 'Adreça', en: 'Address' },
  postalcode: { es: 'Código postal', ca: 'Codi postal', en: 'Postal code' },
  city: { es: 'Municipio', ca: 'Municipi', en: 'City' },
  state: { es: 'Provincia', ca: 'Província', en: 'State or province' },
  country: { es: 'País', ca: 'País', en: 'Country' },
  phone: { es: 'Teléfono', ca: 'Telèfon', en: 'Phone' },
  email: { es: 'Correo electrónico', ca: 'Correu electrònic', en: 'Email' },
  lang: { es: 'Idioma', ca: 'Idioma', en: 'Language' },
  langs: { es: 'Idiomas', ca: 'Idiomes', en: 'Languages' },
  proxynif: { es: 'NIF del representante', ca: 'NIF del representant', en: "Representative's tax id" },
  proxyname: { es: 'Nombre del representante', ca: 'Nom del representant', en: "Representative's name" },
}

/** The label of a field in a language; an unknown field is labelled by its name. */
export function fieldLabel (field: string, lang: string): string {
  const label = Object.hasOwn(LABELS, field) ? LABELS[field] : undefined
  return label === undefined ? field : translate(label, lang)
}

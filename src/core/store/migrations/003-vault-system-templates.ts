// The system templates every vault starts with (meeco-vault §3: vehicle, password, pet, passport_details,
// travel, custom…), as migration 003 seeds them. The rows belong to the migration: a later change to the vault's
// templates is a new migration, never an edit here. Person templates are added with CreateTemplate.

/** A slot of a seeded template, as stored in `vault_templates.slots` (slot types: vault/slot-types.ts). */
interface SeededSlot {
  name: string
  label: string
  slot_type_name: string
}

interface SystemTemplate {
  id: string
  name: string
  label: string
  description: string
  slots: SeededSlot[]
}

const slot = (name: string, label: string, type = 'key_value'): SeededSlot => ({ name, label, slot_type_name: type })

export const SYSTEM_TEMPLATES: SystemTemplate[] = [
  {
    id: '00000000-0000-4000-8000-000000000001', name: 'vehicle', label: 'Vehicle', description: 'A car, motorbike or other vehicle',
    slots: [slot('make', 'Make'), slot('model', 'Model'), slot('licence_plate', 'Licence plate'), slot('vin', 'VIN'), slot('year', 'Year')],
  },
  {
    id: '00000000-0000-4000-8000-000000000002', name: 'password', label: 'Password', description: 'A login for a website or app',
    slots: [slot('username', 'Username'), slot('password', 'Password', 'password'), slot('url', 'Website', 'url')],
  },
  {
    id: '00000000-0000-4000-8000-000000000003', name: 'passport_details', label: 'Passport details', description: 'Details of a passport',
    slots: [slot('full_name', 'Full name'), slot('passport_number', 'Passport number'), slot('nationality', 'Nationality'),
      slot('date_of_birth', 'Date of birth', 'date'), slot('expiry_date', 'Expiry date', 'date')],
  },
  {
    id: '00000000-0000-4000-8000-000000000004', name: 'pet', label: 'Pet', description: 'A pet and its details',
    slots: [slot('name', 'Name'), slot('species', 'Species'), slot('breed', 'Breed'), slot('date_of_birth', 'Date of birth', 'date')],
  },
  {
    id: '00000000-0000-4000-8000-000000000005', name: 'travel', label: 'Travel', description: 'A trip and its bookings',
    slots: [slot('destination', 'Destination'), slot('departure_date', 'Departure date', 'date'), slot('return_date', 'Return date', 'date'),
      slot('booking_reference', 'Booking reference')],
  },
  {
    id: '00000000-0000-4000-8000-000000000006', name: 'custom', label: 'Custom', description: 'An item with the slots you add',
    slots: [],
  },
]

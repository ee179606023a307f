import type { ScopeName } from '../chain/scopes';

/**
 * The on-chain categories (shared/chain/scopes.ts) in words a patient understands. Sensitive ones are
 * never shared unless the patient ticks each one (DESIGN.md "No PHI on chain").
 */
export const CATEGORY_LABELS: Record<Exclude<ScopeName, 'WRITE'>, string> = {
  LABS: 'Lab results',
  VITALS: 'Vital signs (blood pressure, weight…)',
  MEDICATIONS: 'Medicines',
  CONDITIONS: 'Health conditions',
  ALLERGIES: 'Allergies',
  IMMUNIZATIONS: 'Vaccinations',
  PROCEDURES: 'Procedures and operations',
  DOCUMENTS: 'Documents and letters',
  NOTES: "Doctors' notes",
  ENCOUNTERS: 'Visits and admissions',
  IMAGING: 'Scans and X-rays',
  DEMOGRAPHICS: 'Your name, birth date and contact details',
  MENTAL_HEALTH: 'Mental health',
  REPRODUCTIVE: 'Sexual and reproductive health',
  SUBSTANCE_USE: 'Alcohol and drug use',
};

export const SENSITIVE_CATEGORIES: readonly string[] = ['MENTAL_HEALTH', 'REPRODUCTIVE', 'SUBSTANCE_USE'];

export function categoryLabel(name: string): string {
  return (CATEGORY_LABELS as Record<string, string>)[name] ?? name;
}

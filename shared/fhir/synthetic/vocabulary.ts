// Code tables for the synthetic corpus: real LOINC / SNOMED CT / ICD-10-CM / RxNorm / CVX codes with
// their usual displays, adult reference ranges in conventional US units. Synthetic data only: values
// are plausible, not clinically calibrated. People and places are invented, and distinctive on purpose
// (see MARKERS): a storage test can grep ciphertext-at-rest for them to prove nothing leaked in clear.

export interface LabDef {
  loinc: string;
  display: string;
  unit: string;
  ucum: string;
  low?: number;
  high?: number;
  mean: number;
  sd: number;
  decimals: number;
  short: string;
}

export const LABS: readonly LabDef[] = [
  { loinc: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma', short: 'Glucose', unit: 'mg/dL', ucum: 'mg/dL', low: 70, high: 99, mean: 101, sd: 18, decimals: 0 },
  { loinc: '718-7', display: 'Hemoglobin [Mass/volume] in Blood', short: 'Hemoglobin', unit: 'g/dL', ucum: 'g/dL', low: 12, high: 15.5, mean: 13.6, sd: 1.3, decimals: 1 },
  { loinc: '2160-0', display: 'Creatinine [Mass/volume] in Serum or Plasma', short: 'Creatinine', unit: 'mg/dL', ucum: 'mg/dL', low: 0.59, high: 1.04, mean: 0.86, sd: 0.18, decimals: 2 },
  { loinc: '6690-2', display: 'Leukocytes [#/volume] in Blood by Automated count', short: 'White blood cells', unit: '10^3/µL', ucum: '10*3/uL', low: 4.5, high: 11, mean: 7.2, sd: 1.9, decimals: 1 },
  { loinc: '2951-2', display: 'Sodium [Moles/volume] in Serum or Plasma', short: 'Sodium', unit: 'mmol/L', ucum: 'mmol/L', low: 136, high: 145, mean: 140, sd: 2.6, decimals: 0 },
  { loinc: '2823-3', display: 'Potassium [Moles/volume] in Serum or Plasma', short: 'Potassium', unit: 'mmol/L', ucum: 'mmol/L', low: 3.5, high: 5.1, mean: 4.3, sd: 0.4, decimals: 1 },
  { loinc: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', short: 'HbA1c', unit: '%', ucum: '%', low: 4, high: 5.6, mean: 6.0, sd: 0.8, decimals: 1 },
  { loinc: '2093-3', display: 'Cholesterol [Mass/volume] in Serum or Plasma', short: 'Total cholesterol', unit: 'mg/dL', ucum: 'mg/dL', high: 200, mean: 192, sd: 28, decimals: 0 },
  { loinc: '777-3', display: 'Platelets [#/volume] in Blood by Automated count', short: 'Platelets', unit: '10^3/µL', ucum: '10*3/uL', low: 150, high: 400, mean: 255, sd: 55, decimals: 0 },
  { loinc: '1742-6', display: 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma', short: 'ALT', unit: 'U/L', ucum: 'U/L', low: 7, high: 56, mean: 31, sd: 12, decimals: 0 },
  { loinc: '3016-3', display: 'Thyrotropin [Units/volume] in Serum or Plasma', short: 'TSH', unit: 'mIU/L', ucum: 'm[IU]/L', low: 0.4, high: 4, mean: 2.1, sd: 1.1, decimals: 2 },
];

export interface VitalDef {
  loinc: string;
  display: string;
  unit: string;
  ucum: string;
  mean: number;
  sd: number;
  decimals: number;
}

export const VITALS: readonly VitalDef[] = [
  { loinc: '8867-4', display: 'Heart rate', unit: 'beats/minute', ucum: '/min', mean: 74, sd: 9, decimals: 0 },
  { loinc: '29463-7', display: 'Body weight', unit: 'kg', ucum: 'kg', mean: 72, sd: 4, decimals: 1 },
  { loinc: '8310-5', display: 'Body temperature', unit: '°C', ucum: 'Cel', mean: 36.8, sd: 0.35, decimals: 1 },
  { loinc: '8302-2', display: 'Body height', unit: 'cm', ucum: 'cm', mean: 167, sd: 0.6, decimals: 1 },
  { loinc: '9279-1', display: 'Respiratory rate', unit: 'breaths/minute', ucum: '/min', mean: 15, sd: 2, decimals: 0 },
  { loinc: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%', ucum: '%', mean: 97.5, sd: 1, decimals: 0 },
];

export const BP = {
  panel: { loinc: '85354-9', display: 'Blood pressure panel with all children optional' },
  systolic: { loinc: '8480-6', display: 'Systolic blood pressure', mean: 124, sd: 12 },
  diastolic: { loinc: '8462-4', display: 'Diastolic blood pressure', mean: 79, sd: 8 },
} as const;

export interface ConditionDef {
  snomed: string;
  display: string;
  icd10: string;
  icd10Display: string;
}

export const CONDITIONS: readonly ConditionDef[] = [
  { snomed: '44054006', display: 'Diabetes mellitus type 2', icd10: 'E11.9', icd10Display: 'Type 2 diabetes mellitus without complications' },
  { snomed: '38341003', display: 'Hypertensive disorder, systemic arterial', icd10: 'I10', icd10Display: 'Essential (primary) hypertension' },
  { snomed: '55822004', display: 'Hyperlipidemia', icd10: 'E78.5', icd10Display: 'Hyperlipidemia, unspecified' },
  { snomed: '195967001', display: 'Asthma', icd10: 'J45.909', icd10Display: 'Unspecified asthma, uncomplicated' },
  { snomed: '40930008', display: 'Hypothyroidism', icd10: 'E03.9', icd10Display: 'Hypothyroidism, unspecified' },
  { snomed: '239873007', display: 'Osteoarthritis of knee', icd10: 'M17.9', icd10Display: 'Osteoarthritis of knee, unspecified' },
  { snomed: '40055000', display: 'Chronic sinusitis', icd10: 'J32.9', icd10Display: 'Chronic sinusitis, unspecified' },
  // Sensitive on purpose, so the consent tests have real examples to find.
  { snomed: '35489007', display: 'Depressive disorder', icd10: 'F32.A', icd10Display: 'Depression, unspecified' },
  { snomed: '72892002', display: 'Normal pregnancy', icd10: 'Z34.90', icd10Display: 'Encounter for supervision of normal pregnancy, unspecified' },
];

export const MEDICATIONS = [
  { rxnorm: '860975', display: '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet', dose: 'Take 1 tablet by mouth once daily with the evening meal', freq: 1 },
  { rxnorm: '314076', display: 'lisinopril 10 MG Oral Tablet', dose: 'Take 1 tablet by mouth once daily', freq: 1 },
  { rxnorm: '617311', display: 'atorvastatin 40 MG Oral Tablet', dose: 'Take 1 tablet by mouth at bedtime', freq: 1 },
  { rxnorm: '197361', display: 'amlodipine 5 MG Oral Tablet', dose: 'Take 1 tablet by mouth once daily', freq: 1 },
  { rxnorm: '310965', display: 'ibuprofen 200 MG Oral Tablet', dose: 'Take 2 tablets by mouth every 6 hours as needed for knee pain', freq: 4 },
  { rxnorm: '313782', display: 'acetaminophen 325 MG Oral Tablet', dose: 'Take 2 tablets by mouth every 6 hours as needed', freq: 4 },
  { rxnorm: '312961', display: 'simvastatin 20 MG Oral Tablet', dose: 'Take 1 tablet by mouth in the evening', freq: 1 },
] as const;

export const ALLERGIES = [
  { snomed: '91936005', display: 'Allergy to penicillin', category: 'medication', criticality: 'high', reaction: { snomed: '126485001', display: 'Urticaria' }, severity: 'moderate' },
  { snomed: '300913006', display: 'Shellfish allergy', category: 'food', criticality: 'high', reaction: { snomed: '39579001', display: 'Anaphylaxis' }, severity: 'severe' },
  { snomed: '232350006', display: 'House dust mite allergy', category: 'environment', criticality: 'low', reaction: { snomed: '267036007', display: 'Dyspnea' }, severity: 'mild' },
  { snomed: '418689008', display: 'Allergy to grass pollen', category: 'environment', criticality: 'low', reaction: { snomed: '49727002', display: 'Cough' }, severity: 'mild' },
  { snomed: '300916003', display: 'Latex allergy', category: 'environment', criticality: 'low', reaction: { snomed: '126485001', display: 'Urticaria' }, severity: 'moderate' },
] as const;

export const VACCINES = [
  { cvx: '140', display: 'Influenza, seasonal, injectable, preservative free' },
  { cvx: '208', display: 'COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose' },
  { cvx: '115', display: 'Tdap' },
  { cvx: '33', display: 'pneumococcal polysaccharide vaccine, 23 valent' },
  { cvx: '43', display: 'Hep B, adult' },
  { cvx: '187', display: 'zoster vaccine recombinant' },
] as const;

export const PROCEDURES = [
  { snomed: '73761001', display: 'Colonoscopy' },
  { snomed: '80146002', display: 'Appendectomy' },
  { snomed: '430193006', display: 'Medication reconciliation (procedure)' },
  { snomed: '399208008', display: 'Plain chest X-ray' },
  { snomed: '71651007', display: 'Mammography' },
  { snomed: '171207006', display: 'Depression screening' },
] as const;

export const REPORTS = [
  { loinc: '58410-2', display: 'CBC panel - Blood by Automated count', section: 'LAB', conclusion: 'Blood counts within expected limits.' },
  { loinc: '24323-8', display: 'Comprehensive metabolic 2000 panel - Serum or Plasma', section: 'LAB', conclusion: 'Mildly elevated fasting glucose; otherwise unremarkable.' },
  { loinc: '57698-3', display: 'Lipid panel with direct LDL - Serum or Plasma', section: 'LAB', conclusion: 'LDL above goal; continue statin therapy.' },
  { loinc: '36643-5', display: 'XR Chest 2 Views', section: 'RAD', conclusion: 'No acute cardiopulmonary process.' },
] as const;

export const ENCOUNTERS = [
  { cls: 'AMB', snomed: '185349003', display: 'Encounter for check up' },
  { cls: 'AMB', snomed: '390906007', display: 'Follow-up encounter' },
  { cls: 'AMB', snomed: '185345009', display: 'Encounter for symptom' },
  { cls: 'EMER', snomed: '50849002', display: 'Emergency room admission' },
  { cls: 'VR', snomed: '448337001', display: 'Telemedicine consultation with patient' },
] as const;

export const NOTE_TYPES = [
  { loinc: '11506-3', display: 'Progress note' },
  { loinc: '11488-4', display: 'Consult note' },
  { loinc: '18842-5', display: 'Discharge summary' },
] as const;

export const DOCUMENT_TYPES = [
  { loinc: '11502-2', display: 'Laboratory report' },
  { loinc: '18748-4', display: 'Diagnostic imaging study' },
  { loinc: '64290-0', display: 'Health insurance card' },
] as const;

/** Invented clinicians and places: distinctive strings that appear in plaintext records. */
export const PRACTITIONERS = [
  'Dr. Ana Ortiz-Valcourt', 'Dr. Tobias Winterbourne', 'Dr. Priyanka Hallorann', 'Dr. Emeka Lindqvist',
  'Dr. Sigrun Okonkwo-Palmer', 'Nurse Oona Brightwater',
] as const;
export const ORGANIZATIONS = ['Saint Verbena Community Hospital', 'Larkspur Valley Family Clinic', 'Quillfeather Diagnostics Lab'] as const;
export const PATIENT = { given: ['Marisol', 'Eadlyn'], family: 'Quennell-Abernathy', gender: 'female', birthDate: '1968-04-17' } as const;

export const NOTE_SENTENCES = [
  'Patient reports mild dizziness after climbing the lighthouse stairs on Harbor Row.',
  'Blood pressure reviewed; home readings are consistent with clinic values.',
  'Discussed diet, walking thirty minutes daily and limiting salt.',
  'No chest pain, no shortness of breath at rest, sleeping well.',
  'Knee pain improved with physical therapy; continue exercises twice a week.',
  'Medication list reconciled with the pharmacy record; no changes today.',
  'Follow up in three months with fasting labs before the visit.',
  'Vaccination history reviewed and updated in the registry.',
] as const;

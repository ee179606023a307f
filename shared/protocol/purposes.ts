/**
 * Why a site asks: a fixed list of HL7 v3 PurposeOfUse codes (the page sends the code; the approval
 * window and the Sharing tab show the words). A code outside this list is refused (-32602), so a site
 * can never put its own wording in front of the patient. Plain constants: the content scripts and
 * the popup may import this.
 */
export const PURPOSES = {
  TREAT: 'Your treatment',
  ETREAT: 'Emergency treatment',
  CAREMGT: 'Coordinating your care',
  PATRQT: 'You asked for it',
  HPAYMT: 'Billing and insurance',
  HOPERAT: "Running the provider's services",
  HRESCH: 'Health research',
  PUBHLTH: 'Public health reporting',
} as const;
export type PurposeCode = keyof typeof PURPOSES;
export const PURPOSE_CODES = Object.keys(PURPOSES) as [PurposeCode, ...PurposeCode[]];

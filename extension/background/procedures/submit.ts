import { provenanceOfRecord } from '../../submit/provenance';
import type { Procedures } from './index';

/** Records sites added (extension/submit/): a record's "Added by", from its Provenance. */
export const submitProcedures: Procedures<'submit.provenance'> = {
  'submit.provenance': async ({ id }) => {
    const added = await provenanceOfRecord(id);
    return added ? { added } : {};
  },
};

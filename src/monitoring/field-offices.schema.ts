import { z } from 'zod';

const STATE = z.string().regex(/^[A-Z]{2}$/, 'expected a two-letter USPS state code');

export const FieldOfficeArea = z.object({
  state: STATE,
  zip3: z.union([
    z.literal('*'),
    z.array(z.string().regex(/^\d{3}$/, 'expected a three-digit ZIP prefix')).min(1),
  ]),
});

export const FieldOffice = z.object({
  code: z.string().regex(/^[A-Z]{3}$/, 'expected the three-letter ERO office code'),
  name: z.string().min(1),
  city: z.string().min(1),
  areas: z.array(FieldOfficeArea).min(1),
});
export type FieldOffice = z.infer<typeof FieldOffice>;

export const FieldOfficeReference = z.object({
  source: z.string().min(1),
  vintage: z.string().min(1),
  offices: z.array(FieldOffice).length(25, 'expected the 25 ERO areas of responsibility'),
});
export type FieldOfficeReference = z.infer<typeof FieldOfficeReference>;

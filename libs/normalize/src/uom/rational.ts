import FractionModule from 'fraction.js';

/** Exact rationals (BigInt numerator/denominator) for unit factors; the package exports the class only as a value. */
export const Fraction = FractionModule;
export type Fraction = InstanceType<typeof FractionModule>;

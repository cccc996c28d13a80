/**
 * The identifier rules every layer applies the same way: the enrollment forms' schemas, the
 * roster rules, the engines. A leaf (no imports), so no engine reaches up into IPC schemas for it.
 */

/** 10 digits passing the NPI check digit (Luhn over 80840 + the first nine digits). */
export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi.slice(0, 9)}`;
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10 === Number(npi[9]);
}

/**
 * MRNs are searched by identifier; characters that are FHIR search syntax (`,` `|` `$` `\`) or
 * query syntax (`&` `=` `?` `#`) are not taken, so that an MRN can never match someone else's.
 */
export const MRN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9\-._/:+]{0,63}$/;
export const MRN_RULE = 'An MRN is 1–64 letters, digits and - . _ / : + (no spaces or other signs).';

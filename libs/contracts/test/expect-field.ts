import { ValidationError } from '@tributary/core';

/** Asserts `run` throws a ValidationError whose failing field is `field`. */
export function expectFieldError(run: () => unknown, field: string): ValidationError {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  const error = caught as ValidationError;
  expect(error.details.field).toBe(field);
  expect(error.message).toContain(field);
  return error;
}

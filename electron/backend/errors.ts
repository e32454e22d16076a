// An error whose message is meant for the user, with the contract's error code (ApiError.code).
// The dispatcher hands its code and message to the caller as they are.
export class UserError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Runs a pure builder or check of the user's input: its own error class (the module's "this
 *  input is wrong") becomes the user's invalid-input error; anything else stays a fault. */
export function checkedInput<T>(inputError: abstract new (...args: never[]) => Error, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof inputError) throw new UserError('invalid-input', err.message);
    throw err;
  }
}

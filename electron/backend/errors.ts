// An error whose message is meant for the user, with the contract's error code (ApiError.code).
// The dispatcher hands its code and message to the caller as they are.
export class UserError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

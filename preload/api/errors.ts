/**
 * The stable error codes an administrator's screen can branch on. A leaf: it imports nothing, so
 * engines, sessions and jobs (through `main/errors/app-error.ts`) and the IPC contract share it
 * without any of them reaching into another's layer.
 */
export type ErrorCode =
  | 'invalid_argument'
  | 'forbidden_sender'
  | 'unknown_channel'
  | 'not_signed_in'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'server_error'
  | 'network_error'
  | 'keychain_unavailable'
  | 'cancelled'
  | 'internal';

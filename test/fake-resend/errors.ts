// Resend's error bodies ({statusCode, name, message}) and their statuses, as documented at resend.com/docs/api-reference/errors.
export type ResendErrorName =
  | 'invalid_idempotency_key'
  | 'validation_error'
  | 'missing_required_field'
  | 'missing_api_key'
  | 'restricted_api_key'
  | 'invalid_api_key'
  | 'not_found'
  | 'method_not_allowed'
  | 'invalid_idempotent_request'
  | 'concurrent_idempotent_requests'
  | 'daily_quota_exceeded'
  | 'monthly_quota_exceeded'
  | 'rate_limit_exceeded'
  | 'application_error'
  | 'internal_server_error';

export interface ResendErrorBody {
  statusCode: number;
  name: ResendErrorName;
  message: string;
}

const catalogue: Record<ResendErrorName, { status: number; message: string }> = {
  invalid_idempotency_key: { status: 400, message: 'The key must be between 1-256 chars.' },
  validation_error: { status: 422, message: 'We found an error with one or more fields in the request.' },
  missing_required_field: { status: 422, message: 'The request body is missing one or more required fields.' },
  missing_api_key: { status: 401, message: 'Missing API key in the authorization header.' },
  restricted_api_key: { status: 401, message: 'This API key is restricted to only send emails.' },
  invalid_api_key: { status: 403, message: 'API key is invalid.' },
  not_found: { status: 404, message: 'The requested endpoint does not exist.' },
  method_not_allowed: { status: 405, message: 'Method is not allowed for the requested path.' },
  invalid_idempotent_request: { status: 409, message: 'Same idempotency key used with a different request payload.' },
  concurrent_idempotent_requests: {
    status: 409,
    message: 'Same idempotency key used while original request is still in progress.',
  },
  daily_quota_exceeded: { status: 429, message: 'You have reached your daily email sending quota.' },
  monthly_quota_exceeded: { status: 429, message: 'You have reached your monthly email sending quota.' },
  rate_limit_exceeded: {
    status: 429,
    message: 'Too many requests. You can only make 5 requests per second. See rate limit response headers for more information.',
  },
  application_error: { status: 500, message: 'An unexpected error occurred.' },
  internal_server_error: { status: 500, message: 'An unexpected error occurred.' },
};

/** Build an error body; `status` overrides the documented one (validation_error is also sent as 400 or 403). */
export function buildResendError(name: ResendErrorName, message?: string, status?: number): ResendErrorBody {
  const entry = catalogue[name];
  return { statusCode: status ?? entry.status, name, message: message ?? entry.message };
}

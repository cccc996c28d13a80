/**
 * The one wrapper every IPC handler runs through: it checks the sender, parses the request
 * against the contract's schema, runs the handler and always answers with an envelope. Errors
 * thrown across Electron IPC lose everything but their message, so none is ever thrown across.
 */
import {
  type Envelope,
  type InvokeChannel,
  type IpcError,
  type ParsedRequestOf,
  type ResponseOf,
  invokeContract,
} from '../../preload/api/contract';
import type { Logger } from '../logging/logger';
import { AppError } from '../errors/app-error';
import { type SenderInfo, type SenderPolicy, originOf } from './sender-policy';

export interface HandlerContext {
  sender: SenderInfo;
}

export type Handler<C extends InvokeChannel> = (
  request: ParsedRequestOf<C>,
  context: HandlerContext,
) => Promise<ResponseOf<C>> | ResponseOf<C>;

export type HandlerMap = { [C in InvokeChannel]: Handler<C> };

export interface Dispatcher {
  dispatch(channel: string, sender: SenderInfo, rawRequest: unknown): Promise<Envelope<unknown>>;
}

function isKnownChannel(channel: string): channel is InvokeChannel {
  return Object.prototype.hasOwnProperty.call(invokeContract, channel);
}

function failure(error: IpcError): Envelope<never> {
  return { ok: false, error };
}

/** Lists where the request is wrong (paths and problems), never the values it held. */
function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

export function createDispatcher(options: {
  handlers: HandlerMap;
  senderPolicy: SenderPolicy;
  logger: Logger;
}): Dispatcher {
  const { handlers, senderPolicy, logger } = options;
  return {
    async dispatch(channel, sender, rawRequest) {
      if (!isKnownChannel(channel)) {
        logger.warn('ipc.unknown_channel', { channel: channel.slice(0, 64) });
        return failure({ code: 'unknown_channel', message: 'This action is not available.' });
      }
      if (!senderPolicy.isTrusted(sender)) {
        logger.warn('ipc.forbidden_sender', { channel, origin: sender.frameUrl ? originOf(sender.frameUrl) : null });
        return failure({ code: 'forbidden_sender', message: 'Refused: the request did not come from the console window.' });
      }
      const parsed = invokeContract[channel].request.safeParse(rawRequest ?? {});
      if (!parsed.success) {
        logger.warn('ipc.invalid_argument', { channel });
        return failure({
          code: 'invalid_argument',
          message: `The request for "${channel}" was not valid: ${describeIssues(parsed.error.issues)}.`,
        });
      }
      try {
        const handler = handlers[channel] as Handler<typeof channel>;
        const value = await handler(parsed.data as never, { sender });
        return { ok: true, value };
      } catch (error) {
        if (error instanceof AppError) {
          return failure({
            code: error.code,
            message: error.message,
            ...(error.details ? { details: error.details } : {}),
            ...(error.field ? { field: error.field } : {}),
          });
        }
        // An unexpected error may carry anything in its message: log its kind only, show a safe text.
        logger.error('ipc.handler_failed', { channel, errorName: error instanceof Error ? error.name : typeof error });
        return failure({ code: 'internal', message: 'Something went wrong in the console. Try again; if it keeps happening, restart the console.' });
      }
    },
  };
}

import { Client, type ClientConfig } from "pg";
import type { NotificationHandlers, NotificationListener } from "./database.js";

/**
 * LISTEN on a PostgreSQL server: one connection of its own (a pooled one would be handed to queries and could
 * not wait for notifications), kept open for the process's life. The server delivers a notification when the
 * transaction that sent it commits, to every listening connection of every process, so all of them hear of a
 * change made through any one (a second `resolved serve`, the CLI importing).
 *
 * When the connection is lost (the server restarted, the backend was ended, the network dropped it) the
 * handlers are told `live(false)` at once, and it is made again after a pause that doubles from 100 ms up to
 * 5 s; `live(true)` once it listens again. TCP keep-alive finds a peer that vanished without closing.
 */

const FIRST_PAUSE_MS = 100;
const LONGEST_PAUSE_MS = 5_000;

export async function listenOnServer(
  config: ClientConfig,
  channel: string,
  handlers: NotificationHandlers,
): Promise<NotificationListener> {
  let closed = false;
  let client: Client | undefined;
  let pause = FIRST_PAUSE_MS;
  let timer: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    if (closed) return;
    const own = new Client({ ...config, keepAlive: true });
    client = own;
    let lost = false;
    const lose = (error: Error | undefined) => {
      if (lost) return;
      lost = true;
      if (client === own) client = undefined;
      handlers.live(false);
      own.removeAllListeners("notification");
      void own.end().catch(() => {});
      if (closed) return;
      if (error) handlers.error?.(error);
      timer = setTimeout(() => void connect(), pause);
      timer.unref();
      pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
    };
    own.on("error", (error) => lose(error));
    own.on("end", () => lose(new Error("the server closed the connection that listens for changes")));
    own.on("notification", (message) => {
      if (message.channel === channel) handlers.notify(message.payload ?? "");
    });
    try {
      await own.connect();
      await own.query(`listen ${channel}`);
    } catch (error) {
      lose(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (lost || closed) return;
    pause = FIRST_PAUSE_MS;
    handlers.live(true);
  }

  // The first attempt is awaited, so a server that answers is listened to before the caller goes on; one that
  // does not is tried again in the background.
  await connect();
  return {
    close: async () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      const own = client;
      client = undefined;
      if (own) {
        own.removeAllListeners("notification");
        await own.end().catch(() => {});
      }
    },
  };
}

// --log-file: every event as a pino structured record; -v adds per-item and per-host detail.
import type pino from "pino";
import type { Logger } from "pino";
import { lazyRequire } from "../lazy-require.js";
import type { OutputCallback, RunEvent } from "./events.js";

// pino is loaded only by runs that write a log file.
const pinoPackage = lazyRequire<typeof pino>("pino");

export class LogFileCallback implements OutputCallback {
  private readonly log: Logger;
  private readonly destination: ReturnType<typeof pino.destination>;

  constructor(path: string, verbosity: number) {
    const pino = pinoPackage();
    this.destination = pino.destination({ dest: path, sync: false, mkdir: true });
    this.log = pino({ level: verbosity >= 2 ? "trace" : verbosity === 1 ? "debug" : "info", base: { pid: process.pid } }, this.destination);
  }

  handle(event: RunEvent): void {
    const { type, ...rest } = event;
    switch (type) {
      case "item_result":
        this.log.debug({ event: type, ...rest }, type);
        break;
      case "host_result":
        if (event.status === "failed" || event.status === "unreachable") this.log.warn({ event: type, ...rest }, type);
        else this.log.info({ event: type, ...rest }, type);
        break;
      case "warning":
        this.log.warn({ event: type, ...rest }, event.message);
        break;
      default:
        this.log.info({ event: type, ...rest }, type);
    }
  }

  async close(): Promise<void> {
    // end() flushes what is buffered (waiting for the file to open if need be), then closes.
    await new Promise<void>((resolve) => {
      this.destination.once("close", () => resolve());
      this.destination.end();
    });
  }
}

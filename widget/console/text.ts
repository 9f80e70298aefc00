import { fill, type Locale } from "../i18n";
import { type ConsoleCatalogue, type ConsoleKey, enConsole } from "../locales/en-console";

/** The console's strings in one locale (the widget's own are `session.t`). Handed to its views and the thread's staff mode. */
export class ConsoleText {
  /** Names for the ids the history holds (agents, departments), as the console has learnt them. */
  names: Record<string, string> = {};

  constructor(readonly catalogue: ConsoleCatalogue = enConsole) {}

  msg(key: ConsoleKey, params: Record<string, string | number> = {}): string {
    return fill(this.catalogue[key], params);
  }
}

/** Loads the console's strings for `locale`: Russian on demand, English built in. */
export async function loadConsoleText(locale: Locale): Promise<ConsoleText> {
  return new ConsoleText(locale === "ru" ? (await import("../locales/ru-console")).ruConsole : enConsole);
}

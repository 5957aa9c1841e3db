import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** The events of a whole server-sent-events body, in order (`event` is `message` when unnamed). */
export function parseEvents(body: string): Array<{ event: string; data: string }> {
  const events: Array<{ event: string; data: string }> = [];
  const parser = createParser({
    onEvent: (message: EventSourceMessage) =>
      events.push({ event: message.event ?? 'message', data: message.data }),
  });
  parser.feed(body);
  return events;
}

/** The JSON of each event's data, for events of one name. */
export function eventData<T = Record<string, unknown>>(body: string, name: string): T[] {
  return parseEvents(body)
    .filter((entry) => entry.event === name)
    .map((entry) => JSON.parse(entry.data) as T);
}

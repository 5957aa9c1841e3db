"""A parser of server-sent events, as the HTML standard's "event stream interpretation" defines it.

Bytes go in as they arrive, in chunks cut anywhere (even inside a UTF-8 character or between the CR
and LF of a line end); complete events come out. Lines end with CRLF, LF or CR; lines starting with
a colon are comments; `data` lines are joined with LF; a field without a colon has an empty value;
one space after the colon is dropped; a leading byte-order mark is ignored. An event is dispatched
at a blank line, and only when it carried data; an unfinished event at the end of the stream is dropped.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass


@dataclass(frozen=True)
class ServerSentEvent:
    # "message" when the event named none.
    event: str
    data: str
    # The last event id seen so far in the stream (it carries over to later events), "" when none.
    id: str = ""
    # The reconnection time the server asked for, in milliseconds.
    retry: int | None = None


class SseParser:
    """Incremental: `feed` returns the events completed by a chunk; call it again with the next one."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""
        self._started = False
        self._after_cr = False
        self._event = ""
        self._data: list[str] = []
        self._last_id = ""
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        text = self._decoder.decode(chunk)
        if not self._started and text:
            self._started = True
            text = text.removeprefix("\ufeff")
        if self._after_cr and text.startswith("\n"):
            # The LF of a CRLF split across two chunks: the line already ended at the CR.
            text = text[1:]
        if text:
            self._after_cr = text.endswith("\r")
        self._buffer += text
        events: list[ServerSentEvent] = []
        lines = self._buffer.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self._buffer = lines.pop()
        for line in lines:
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def _line(self, line: str) -> ServerSentEvent | None:
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self._last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        event, data, retry = self._event, self._data, self._retry
        self._event, self._data, self._retry = "", [], None
        if not data:
            return None
        return ServerSentEvent(event or "message", "\n".join(data), self._last_id, retry)

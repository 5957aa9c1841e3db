"""The server-sent-events parser, against the rules of the HTML standard's event stream format."""

import unittest

from structured_prompt import ServerSentEvent, SseParser
from structured_prompt.streaming import AttemptEvent, FinalEvent, PartialEvent, read_event
from structured_prompt import ValidationFailedError


def parse(*chunks: bytes) -> list[ServerSentEvent]:
    parser = SseParser()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events.extend(parser.feed(chunk))
    return events


def bytewise(stream: bytes) -> list[ServerSentEvent]:
    return parse(*(stream[i : i + 1] for i in range(len(stream))))


class SseParserTest(unittest.TestCase):
    def test_named_and_unnamed_events(self):
        events = parse(b"event: partial\ndata: {\"a\": 1}\n\ndata: plain\n\n")
        self.assertEqual([(e.event, e.data) for e in events], [("partial", '{"a": 1}'), ("message", "plain")])

    def test_multi_line_data_is_joined_with_line_feeds(self):
        (event,) = parse(b"data: first\ndata:second\ndata:  third\ndata\n\n")
        # One space after the colon is dropped, a second one is kept; "data" alone is an empty line.
        self.assertEqual(event.data, "first\nsecond\n third\n")

    def test_comments_and_unknown_fields_are_ignored(self):
        events = parse(b": keep-alive\n\n:another\nfoo: bar\nevent: final\ndata: x\n\n")
        self.assertEqual([(e.event, e.data) for e in events], [("final", "x")])

    def test_crlf_cr_and_lf_line_ends_mix(self):
        stream = b"event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\revent: c\ndata: 3\n\n"
        self.assertEqual([(e.event, e.data) for e in parse(stream)], [("a", "1"), ("b", "2"), ("c", "3")])

    def test_chunks_cut_anywhere_give_the_same_events(self):
        stream = "\ufeffevent: partial\r\ndata: {\"name\": \"Zoë ✓\"}\r\n\r\n: c\r\ndata: 2\r\n\r\n".encode()
        whole = parse(stream)
        self.assertEqual([(e.event, e.data) for e in whole], [("partial", '{"name": "Zoë ✓"}'), ("message", "2")])
        self.assertEqual(bytewise(stream), whole)
        # A CRLF split between two chunks ends one line, not two (which would dispatch early).
        self.assertEqual(parse(b"data: a\r", b"\ndata: b\r\n\r\n")[0].data, "a\nb")

    def test_an_event_without_data_and_an_unfinished_last_event_are_not_dispatched(self):
        self.assertEqual(parse(b"event: partial\n\n"), [])
        self.assertEqual(parse(b"data: never ended\n"), [])

    def test_event_name_resets_after_each_event_and_id_carries_over(self):
        events = parse(b"event: a\nid: 7\nretry: 1500\ndata: 1\n\ndata: 2\n\n")
        self.assertEqual([(e.event, e.id, e.retry) for e in events], [("a", "7", 1500), ("message", "7", None)])

    def test_a_field_without_colon_has_an_empty_value(self):
        (event,) = parse(b"event\ndata: x\n\n")
        self.assertEqual(event.event, "message")


class AnalyzeEventTest(unittest.TestCase):
    def test_typed_events(self):
        self.assertEqual(
            read_event(ServerSentEvent("partial", '{"attempt": 1, "data": {"a": 1}}'), {}), PartialEvent(1, {"a": 1})
        )
        attempt = read_event(ServerSentEvent("attempt", '{"attempt": 2, "errors": [{"path": "/a"}]}'), {})
        self.assertEqual(attempt, AttemptEvent(2, [{"path": "/a"}]))
        final = read_event(ServerSentEvent("final", '{"request_id": "r", "data": {"a": 1}}'), {})
        assert isinstance(final, FinalEvent)
        self.assertEqual((final.result.request_id, final.result.data), ("r", {"a": 1}))
        self.assertIsNone(read_event(ServerSentEvent("heartbeat", "{}"), {}))

    def test_an_error_event_raises_the_typed_exception(self):
        problem = '{"status": 422, "code": "output_validation_failed", "errors": [{"path": "/a"}], "attempts": 1}'
        with self.assertRaises(ValidationFailedError) as caught:
            read_event(ServerSentEvent("error", problem), {})
        self.assertEqual((caught.exception.status, caught.exception.attempts), (422, 1))


if __name__ == "__main__":
    unittest.main()

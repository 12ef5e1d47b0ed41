import logging
import os
import socket
import unittest
from unittest.mock import patch
from urllib.parse import unquote

from roam_events import (
    CHECKPOINT_SAVED,
    ConfigurationError,
    ContentMode,
    DeliveryError,
    EventRejectedError,
    HttpEmitter,
    build_event,
)
from tests.fake_gateway import Answer, FakeGateway, problem

TOKEN = "secret-token-0123456789"


def an_event():
    return build_event(CHECKPOINT_SAVED, "llm", "run-42", "checkpoint-1000", "s3://ckpt/run-42/checkpoint-1000/",
                       {"step": "1000", "epoch": "2"})


class RecordingSleep:
    def __init__(self):
        self.delays = []

    def __call__(self, seconds):
        self.delays.append(seconds)


class BinaryMode(unittest.TestCase):

    def test_posts_the_data_as_body_and_the_context_as_ce_headers(self):
        event = an_event()
        with FakeGateway() as gateway:
            HttpEmitter(gateway.url, token="").emit(event)

        request, = gateway.requests
        self.assertEqual(request.path, "/v1/events")
        self.assertEqual(request.json(), event.data())
        self.assertEqual(request.headers["Content-Type"], "application/json")
        self.assertEqual(request.headers["ce-specversion"], "1.0")
        self.assertEqual(request.headers["ce-id"], event.id)
        self.assertEqual(request.headers["ce-source"], "/training/llm/run-42")
        self.assertEqual(request.headers["ce-type"], "roam.checkpoint.saved")
        self.assertEqual(request.headers["ce-time"], event.time)
        self.assertEqual(request.headers["ce-subject"], "checkpoint-1000")
        self.assertNotIn("Authorization", request.headers)

    def test_percent_encodes_header_values_that_http_cannot_carry(self):
        event = build_event(CHECKPOINT_SAVED, "vision team", "résumé", 'step 1000 "best" 100%', "gs://b/x/")
        with FakeGateway() as gateway:
            HttpEmitter(gateway.url, token="").emit(event)

        headers = gateway.requests[0].headers
        self.assertEqual(headers["ce-subject"], "step%201000%20%22best%22%20100%25")
        self.assertEqual(headers["ce-source"], "/training/vision%2520team/r%25C3%25A9sum%25C3%25A9")
        self.assertEqual(unquote(headers["ce-subject"]), event.subject)
        self.assertEqual(unquote(headers["ce-source"]), event.source)
        self.assertEqual(gateway.requests[0].json()["run"], "résumé")

    def test_sends_the_token_as_a_bearer_token(self):
        with FakeGateway() as gateway:
            HttpEmitter(gateway.url, token=TOKEN).emit(an_event())
        self.assertEqual(gateway.requests[0].headers["Authorization"], "Bearer " + TOKEN)

    def test_posts_under_the_base_path_of_the_gateway_url(self):
        with FakeGateway() as gateway:
            HttpEmitter(gateway.url + "/roam/", token="").emit(an_event())
        self.assertEqual(gateway.requests[0].path, "/roam/v1/events")


class StructuredMode(unittest.TestCase):

    def test_posts_the_whole_event_as_cloudevents_json(self):
        event = an_event()
        with FakeGateway() as gateway:
            HttpEmitter(gateway.url, token="", mode=ContentMode.STRUCTURED).emit(event)

        request, = gateway.requests
        self.assertEqual(request.headers["Content-Type"], "application/cloudevents+json")
        self.assertEqual(request.json(), event.structured())
        self.assertFalse([name for name in request.headers if name.lower().startswith("ce-")])


class Rejections(unittest.TestCase):

    def test_a_problem_json_answer_is_raised_with_its_detail_and_not_retried(self):
        answer = problem(400, "Invalid event", "data.uri: no storage profile serves 's3://unknown/x/'")
        sleep = RecordingSleep()
        with FakeGateway(answer) as gateway, self.assertRaises(EventRejectedError) as raised:
            HttpEmitter(gateway.url, token=TOKEN, sleep=sleep).emit(an_event())

        rejection = raised.exception
        self.assertEqual(rejection.status, 400)
        self.assertEqual(rejection.title, "Invalid event")
        self.assertEqual(rejection.detail, "data.uri: no storage profile serves 's3://unknown/x/'")
        self.assertEqual(rejection.problem["status"], 400)
        self.assertIn("no storage profile serves", str(rejection))
        self.assertFalse(rejection.retryable)
        self.assertEqual(len(gateway.requests), 1)
        self.assertEqual(sleep.delays, [])

    def test_an_answer_without_a_problem_body_is_raised_with_its_text(self):
        with FakeGateway(Answer(401, "text/plain", b"missing or invalid token")) as gateway, \
                self.assertRaises(EventRejectedError) as raised:
            HttpEmitter(gateway.url, token=TOKEN).emit(an_event())
        self.assertEqual((raised.exception.status, raised.exception.title, raised.exception.detail),
                         (401, "Unauthorized", "missing or invalid token"))
        self.assertNotIn(TOKEN, str(raised.exception))

    def test_a_redirect_is_not_followed(self):
        redirect = Answer(307, "text/plain", b"", (("Location", "http://elsewhere.invalid/v1/events"),))
        with FakeGateway(redirect) as gateway, self.assertRaises(EventRejectedError) as raised:
            HttpEmitter(gateway.url, token="").emit(an_event())
        self.assertEqual(raised.exception.status, 307)
        self.assertEqual(len(gateway.requests), 1)


class Retries(unittest.TestCase):

    def test_server_errors_are_retried_with_growing_backoff_until_accepted(self):
        event = an_event()
        sleep = RecordingSleep()
        unavailable = problem(503, "Service Unavailable", "catalog unavailable")
        with FakeGateway(unavailable, Answer(500), unavailable) as gateway, \
                self.assertLogs("roam_events", "WARNING") as logs:
            HttpEmitter(gateway.url, token=TOKEN, attempts=4, initial_backoff_seconds=1.0, sleep=sleep).emit(event)

        self.assertEqual(len(gateway.requests), 4)
        self.assertEqual({request.headers["ce-id"] for request in gateway.requests}, {event.id})
        self.assertEqual(len(sleep.delays), 3)
        for delay, backoff in zip(sleep.delays, (1.0, 2.0, 4.0)):
            self.assertGreaterEqual(delay, backoff / 2)
            self.assertLessEqual(delay, backoff)
        self.assertEqual(len(logs.output), 3)
        self.assertIn(f"attempt 1 of 4 to deliver event {event.id}", logs.output[0])
        self.assertIn("(HTTP 503)", logs.output[0])
        self.assertNotIn(TOKEN, "".join(logs.output))

    def test_gives_up_after_the_last_attempt(self):
        sleep = RecordingSleep()
        with FakeGateway(*[Answer(502)] * 3) as gateway, self.assertRaises(DeliveryError) as raised, \
                self.assertLogs("roam_events", "WARNING"):
            HttpEmitter(gateway.url, token=TOKEN, attempts=3, sleep=sleep).emit(an_event())

        self.assertEqual(len(gateway.requests), 3)
        self.assertEqual(len(sleep.delays), 2)
        self.assertIn("after 3 attempt(s): HTTP 502", str(raised.exception))
        self.assertTrue(raised.exception.retryable)
        self.assertNotIn(TOKEN, str(raised.exception))

    def test_too_many_requests_waits_as_long_as_the_gateway_asks(self):
        sleep = RecordingSleep()
        with FakeGateway(Answer(429, headers=(("Retry-After", "7"),))) as gateway, \
                self.assertLogs("roam_events", "WARNING"):
            HttpEmitter(gateway.url, token="", sleep=sleep).emit(an_event())
        self.assertEqual(len(gateway.requests), 2)
        self.assertEqual(sleep.delays, [7.0])

    def test_connection_failures_are_retried_then_raised(self):
        sleep = RecordingSleep()
        with socket.socket() as unused:
            unused.bind(("127.0.0.1", 0))
            closed_port = unused.getsockname()[1]
        emitter = HttpEmitter(f"http://127.0.0.1:{closed_port}", token="", attempts=3, sleep=sleep)

        with self.assertRaises(DeliveryError) as raised, self.assertLogs("roam_events", "WARNING"):
            emitter.emit(an_event())
        self.assertEqual(len(sleep.delays), 2)
        self.assertIn("ConnectionRefusedError", str(raised.exception))


class Tokens(unittest.TestCase):

    def test_the_token_comes_from_ROAM_TOKEN_when_none_is_given(self):
        with patch.dict(os.environ, {"ROAM_TOKEN": TOKEN}), FakeGateway() as gateway:
            HttpEmitter(gateway.url).emit(an_event())
        self.assertEqual(gateway.requests[0].headers["Authorization"], "Bearer " + TOKEN)

    def test_a_token_given_wins_over_ROAM_TOKEN_and_an_empty_one_sends_none(self):
        with patch.dict(os.environ, {"ROAM_TOKEN": "from-the-environment"}), FakeGateway() as gateway:
            HttpEmitter(gateway.url, token=TOKEN).emit(an_event())
            HttpEmitter(gateway.url, token="").emit(an_event())
        self.assertEqual(gateway.requests[0].headers["Authorization"], "Bearer " + TOKEN)
        self.assertNotIn("Authorization", gateway.requests[1].headers)

    def test_whitespace_around_a_token_read_from_a_file_is_dropped(self):
        with patch.dict(os.environ, {"ROAM_TOKEN": f"  {TOKEN}\n"}), FakeGateway() as gateway:
            HttpEmitter(gateway.url).emit(an_event())
        self.assertEqual(gateway.requests[0].headers["Authorization"], "Bearer " + TOKEN)

    def test_refuses_a_token_that_could_split_the_header_without_showing_it(self):
        for token in (TOKEN + "\r\nX-Injected: 1", TOKEN + " extra", TOKEN + "\u00e9", TOKEN + "\x00"):
            with self.subTest(token=repr(token)), self.assertRaisesRegex(ConfigurationError, "ROAM_TOKEN") as raised:
                HttpEmitter("http://127.0.0.1:8080", token=token)
            self.assertNotIn(TOKEN, str(raised.exception))

    def test_a_token_the_gateway_refuses_is_not_tried_again_and_never_shown(self):
        forbidden = problem(403, "Forbidden", "project llm needs the writer role; the caller is reader")
        sleep = RecordingSleep()
        with FakeGateway(forbidden) as gateway, self.assertRaises(EventRejectedError) as raised, \
                self.assertLogs("roam_events", logging.DEBUG) as logs:
            logging.getLogger("roam_events").debug("capturing every record of the emitter")
            HttpEmitter(gateway.url, token=TOKEN, sleep=sleep).emit(an_event())
        self.assertEqual((raised.exception.status, raised.exception.detail),
                         (403, "project llm needs the writer role; the caller is reader"))
        self.assertFalse(raised.exception.retryable)
        self.assertEqual(len(gateway.requests), 1)
        self.assertEqual(sleep.delays, [])
        self.assertNotIn(TOKEN, str(raised.exception) + repr(raised.exception) + "".join(logs.output))


class Configuration(unittest.TestCase):

    def test_refuses_urls_that_are_not_http(self):
        for url in ("ftp://gateway/", "gateway:8080", "http://", "http://gateway/?x=1"):
            with self.subTest(url=url), self.assertRaisesRegex(ConfigurationError, "gateway URL"):
                HttpEmitter(url, token="")

    def test_refuses_credentials_in_the_url_without_showing_them(self):
        with self.assertRaisesRegex(ConfigurationError, "ROAM_TOKEN") as raised:
            HttpEmitter(f"https://roam:{TOKEN}@gateway.example:8443", token="")
        self.assertNotIn(TOKEN, str(raised.exception))

    def test_needs_at_least_one_attempt(self):
        with self.assertRaisesRegex(ConfigurationError, "attempts"):
            HttpEmitter("http://127.0.0.1:8080", token="", attempts=0)


if __name__ == "__main__":
    unittest.main()

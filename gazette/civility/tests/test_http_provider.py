"""A remote moderation service, played by a server on 127.0.0.1."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gazette.civility.http_provider import (
    FallbackProvider,
    HttpModerationProvider,
    ModerationServiceError,
)
from gazette.civility.model import shipped_model
from gazette.civility.providers import provider_from_config


class ModerationService:
    """A loopback moderation service whose next answers a test decides."""

    def __init__(self) -> None:
        self.status = 200
        self.body: bytes = b""
        self.delay = 0.0
        self.requests: list[dict] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                service.requests.append(
                    {
                        "path": self.path,
                        "json": json.loads(self.rfile.read(length)),
                        "authorization": self.headers.get("Authorization"),
                        "content_type": self.headers.get("Content-Type"),
                    }
                )
                time.sleep(service.delay)
                self.send_response(service.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(service.body)))
                self.end_headers()
                self.wfile.write(service.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.02},
            daemon=True,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1/score"

    def answer(self, data, *, status: int = 200) -> None:
        self.status = status
        self.body = data if isinstance(data, bytes) else json.dumps(data).encode()


@pytest.fixture
def service():
    running = ModerationService()
    running.thread.start()
    yield running
    running.server.shutdown()
    running.server.server_close()


def test_a_comment_is_posted_as_json_and_the_answer_mapped(service):
    service.answer({"attack": 0.91, "offensive": 0.2, "reasons": ["insult"]})
    provider = HttpModerationProvider(service.url, api_key="s3cret", timeout=2)
    score = provider.score("You moron")
    assert (score.attack, score.offensive, score.reasons) == (0.91, 0.2, ["insult"])
    assert score.provider == "http"
    [request] = service.requests
    assert request["path"] == "/v1/score"
    assert request["json"] == {"text": "You moron"}
    assert request["authorization"] == "Bearer s3cret"
    assert request["content_type"] == "application/json"


def test_other_services_field_names_are_mapped_by_path(service):
    service.answer(
        {
            "attributeScores": {
                "INSULT": {"summaryScore": {"value": 0.8}},
                "PROFANITY": {"summaryScore": {"value": 0.1}},
            }
        }
    )
    provider = HttpModerationProvider(
        service.url,
        attack_field="attributeScores.INSULT.summaryScore.value",
        offensive_field="attributeScores.PROFANITY.summaryScore.value",
    )
    score = provider.score("You moron")
    assert (score.attack, score.offensive, score.reasons) == (0.8, 0.1, [])


def test_a_slow_service_times_out_with_a_clear_error(service):
    service.answer({"attack": 0.1, "offensive": 0.1})
    service.delay = 1.0
    provider = HttpModerationProvider(service.url, timeout=0.2)
    with pytest.raises(ModerationServiceError, match="did not answer within 0.2 s"):
        provider.score("Hello")


@pytest.mark.parametrize(
    ("answer", "status", "message"),
    [
        ({"error": "boom"}, 500, "answered 500"),
        (b"<html>Bad gateway</html>", 200, "not valid JSON"),
        ({"attack": 0.5}, 200, "no 'offensive'"),
        ({"attack": "high", "offensive": 0.1}, 200, "'attack' is not a number"),
        ({"attack": 1.5, "offensive": 0.1}, 200, "not between 0 and 1"),
        ([0.5, 0.5], 200, "no 'attack'"),
    ],
)
def test_a_failing_service_raises_an_error_the_pipeline_can_catch(
    service, answer, status, message
):
    service.answer(answer, status=status)
    with pytest.raises(ModerationServiceError, match=message):
        HttpModerationProvider(service.url).score("Hello")


def test_an_unreachable_service_raises_the_same_error(service):
    url = service.url
    service.server.shutdown()
    service.server.server_close()
    with pytest.raises(ModerationServiceError, match="cannot be reached"):
        HttpModerationProvider(url, timeout=1).score("Hello")


def test_the_shipped_model_takes_over_when_the_service_fails(service):
    service.answer(b"not json")
    provider = FallbackProvider(HttpModerationProvider(service.url), shipped_model())
    score = provider.score("You are an idiot.")
    assert score.attack >= 0.5
    assert score.provider == "gazette-linear"
    assert score.reasons[-1].startswith("fallback: ")


def test_configuration_names_the_service_with_the_shipped_model_behind_it(service):
    service.answer({"attack": 0.3, "offensive": 0.4})
    provider = provider_from_config(
        {"provider": "http", "url": service.url, "timeout": 1}
    )
    assert [score.attack for score in provider.score_many(["a", "b"])] == [0.3, 0.3]


def test_configuration_falls_back_on_the_shipped_model_for_a_bad_file(tmp_path):
    missing = tmp_path / "gone.json.gz"
    assert (
        provider_from_config({"provider": "model", "path": str(missing)})
        is shipped_model()
    )
    assert provider_from_config(None) is shipped_model()


def test_only_web_addresses_are_accepted():
    with pytest.raises(ValueError, match="http:// or https://"):
        HttpModerationProvider("file:///etc/passwd")
